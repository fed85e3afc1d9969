/**
 * Components as Apache Flink functions: {@link io.github.wasmtimejvm.flink.ComponentMapFunction}
 * calls a component export per record, {@link io.github.wasmtimejvm.flink.ComponentBatchFunction}
 * once per batch of a partition's records.
 */
package io.github.wasmtimejvm.flink;
