//! Guest resources held by the host: `own` handles returned from calls, kept in a per-store
//! slab and named by a [`ResourceId`] whose generation makes a stale id fail cleanly.

use wasmtime::component::ResourceAny;

use super::error::{Error, Result};

/// A host-held resource: slot index in the low 32 bits, generation in the high 32 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResourceId(pub u64);

impl ResourceId {
    fn new(index: u32, generation: u32) -> ResourceId {
        ResourceId((u64::from(generation) << 32) | u64::from(index))
    }
    fn index(self) -> usize {
        (self.0 & 0xffff_ffff) as usize
    }
    fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

struct Slot {
    generation: u32,
    resource: Option<ResourceAny>,
}

/// The per-store table of host-held guest resources.
#[derive(Default)]
pub struct ResourceSlab {
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
}

impl ResourceSlab {
    /// Keeps a resource; the host now holds it under the returned id.
    pub fn insert(&mut self, resource: ResourceAny) -> ResourceId {
        self.live += 1;
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.resource = Some(resource);
            return ResourceId::new(index, slot.generation);
        }
        let index = u32::try_from(self.slots.len()).expect("more than 2^32 resources");
        self.slots.push(Slot {
            generation: 1,
            resource: Some(resource),
        });
        ResourceId::new(index, 1)
    }

    fn slot(&self, id: ResourceId) -> Result<&Slot> {
        match self.slots.get(id.index()) {
            Some(slot) if slot.generation == id.generation() && slot.resource.is_some() => Ok(slot),
            _ => Err(Error::Resource(
                "resource handle is no longer valid: it was dropped or its ownership was \
                 transferred to the guest"
                    .into(),
            )),
        }
    }

    /// The resource behind `id`, still held (to lend it as a `borrow`).
    pub fn get(&self, id: ResourceId) -> Result<ResourceAny> {
        Ok(self.slot(id)?.resource.expect("checked by slot"))
    }

    /// Takes the resource out (to pass it as an `own`, or to drop it).
    pub fn take(&mut self, id: ResourceId) -> Result<ResourceAny> {
        self.slot(id)?;
        let slot = &mut self.slots[id.index()];
        let resource = slot.resource.take().expect("checked by slot");
        slot.generation = slot.generation.wrapping_add(1).max(1);
        self.free.push(id.index() as u32);
        self.live -= 1;
        Ok(resource)
    }

    /// How many resources are held.
    pub fn len(&self) -> usize {
        self.live
    }
}

impl ResourceSlab {
    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::component::{Resource, ResourceAny};
    use wasmtime::{Engine, Store};

    fn any(store: &mut Store<()>, rep: u32) -> ResourceAny {
        Resource::<u32>::new_own(rep)
            .try_into_resource_any(&mut *store)
            .unwrap()
    }

    #[test]
    fn stale_ids_fail_and_slots_are_reused() {
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let mut slab = ResourceSlab::default();
        let a = slab.insert(any(&mut store, 1));
        assert_eq!(slab.len(), 1);
        slab.take(a).unwrap();
        assert!(slab.get(a).is_err());
        assert!(slab.take(a).is_err());
        let b = slab.insert(any(&mut store, 2));
        assert_ne!(a, b, "a reused slot gets a new generation");
        assert!(slab.get(a).is_err());
        assert!(slab.get(b).is_ok());
        assert_eq!(slab.len(), 1);
    }
}
