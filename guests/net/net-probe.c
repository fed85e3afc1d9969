/*
 * net-probe: a command that tries the network through WASI 0.2 sockets (wit-bindgen C bindings
 * of wit/guests/net, world net-probe) and reports each outcome on standard output:
 *
 *     <op> <args...>: ok
 *     <op> <args...>: error <error-code> (at <call>)
 *
 * Operations (IPv4 literals only, e.g. 127.0.0.1):
 *     tcp-connect <ip> <port> <message>   connect, send <message>, shut down
 *     udp-send <ip> <port> <message>      send one datagram
 *
 * The arguments come from wasi:cli/environment.get-arguments (not libc's argv), so the component
 * imports wasi:cli directly as well as through the preview 1 adapter libc uses for stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_probe.h"

static const char *const CODES[] = {
    "unknown", "access-denied", "not-supported", "invalid-argument", "out-of-memory", "timeout",
    "concurrency-conflict", "not-in-progress", "would-block", "invalid-state", "new-socket-limit",
    "address-not-bindable", "address-in-use", "remote-unreachable", "connection-refused",
    "connection-reset", "connection-aborted", "datagram-too-large", "name-unresolvable",
    "temporary-resolver-failure", "permanent-resolver-failure",
};

static void fail(wasi_sockets_network_error_code_t code, const char *where) {
    const char *name = code < sizeof CODES / sizeof CODES[0] ? CODES[code] : "?";
    printf(" error %s (at %s)\n", name, where);
}

static int parse_ipv4(const char *text, int port, wasi_sockets_network_ip_socket_address_t *out) {
    unsigned a, b, c, d;
    if (sscanf(text, "%u.%u.%u.%u", &a, &b, &c, &d) != 4 || a > 255 || b > 255 || c > 255 || d > 255) {
        return -1;
    }
    out->tag = WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4;
    out->val.ipv4.port = (uint16_t)port;
    out->val.ipv4.address = (wasi_sockets_network_ipv4_address_t){(uint8_t)a, (uint8_t)b, (uint8_t)c, (uint8_t)d};
    return 0;
}

static void tcp_connect(wasi_sockets_network_borrow_network_t net,
                        wasi_sockets_network_ip_socket_address_t *addr, const char *message) {
    wasi_sockets_tcp_own_tcp_socket_t sock;
    wasi_sockets_network_error_code_t err;
    if (!wasi_sockets_tcp_create_socket_create_tcp_socket(WASI_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4, &sock, &err)) {
        fail(err, "create-tcp-socket");
        return;
    }
    wasi_sockets_tcp_borrow_tcp_socket_t s = wasi_sockets_tcp_borrow_tcp_socket(sock);
    if (!wasi_sockets_tcp_method_tcp_socket_start_connect(s, net, addr, &err)) {
        fail(err, "start-connect");
        wasi_sockets_tcp_tcp_socket_drop_own(sock);
        return;
    }
    wasi_io_poll_own_pollable_t ready = wasi_sockets_tcp_method_tcp_socket_subscribe(s);
    wasi_sockets_tcp_tuple2_own_input_stream_own_output_stream_t streams;
    int connected = 0;
    for (;;) {
        if (wasi_sockets_tcp_method_tcp_socket_finish_connect(s, &streams, &err)) {
            connected = 1;
            break;
        }
        if (err != WASI_SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK) {
            fail(err, "finish-connect");
            break;
        }
        wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(ready));
    }
    wasi_io_poll_pollable_drop_own(ready);
    if (connected) {
        wasi_io_streams_stream_error_t serr;
        net_probe_list_u8_t bytes = {(uint8_t *)message, strlen(message)};
        wasi_io_streams_borrow_output_stream_t out = wasi_io_streams_borrow_output_stream(streams.f1);
        if (wasi_io_streams_method_output_stream_blocking_write_and_flush(out, &bytes, &serr)) {
            printf(" ok\n");
        } else {
            printf(" error stream (at blocking-write-and-flush)\n");
            wasi_io_streams_stream_error_free(&serr);
        }
        wasi_io_streams_output_stream_drop_own(streams.f1);
        wasi_io_streams_input_stream_drop_own(streams.f0);
        wasi_sockets_tcp_method_tcp_socket_shutdown(s, WASI_SOCKETS_TCP_SHUTDOWN_TYPE_BOTH, &err);
    }
    wasi_sockets_tcp_tcp_socket_drop_own(sock);
}

static void udp_send(wasi_sockets_network_borrow_network_t net,
                     wasi_sockets_network_ip_socket_address_t *addr, const char *message) {
    wasi_sockets_udp_own_udp_socket_t sock;
    wasi_sockets_network_error_code_t err;
    if (!wasi_sockets_udp_create_socket_create_udp_socket(WASI_SOCKETS_NETWORK_IP_ADDRESS_FAMILY_IPV4, &sock, &err)) {
        fail(err, "create-udp-socket");
        return;
    }
    wasi_sockets_udp_borrow_udp_socket_t s = wasi_sockets_udp_borrow_udp_socket(sock);
    wasi_sockets_network_ip_socket_address_t local = {
        .tag = WASI_SOCKETS_NETWORK_IP_SOCKET_ADDRESS_IPV4,
        .val.ipv4 = {.port = 0, .address = {127, 0, 0, 1}},
    };
    if (!wasi_sockets_udp_method_udp_socket_start_bind(s, net, &local, &err)) {
        fail(err, "start-bind");
        wasi_sockets_udp_udp_socket_drop_own(sock);
        return;
    }
    wasi_io_poll_own_pollable_t ready = wasi_sockets_udp_method_udp_socket_subscribe(s);
    int bound = 0;
    for (;;) {
        if (wasi_sockets_udp_method_udp_socket_finish_bind(s, &err)) {
            bound = 1;
            break;
        }
        if (err != WASI_SOCKETS_NETWORK_ERROR_CODE_WOULD_BLOCK) {
            fail(err, "finish-bind");
            break;
        }
        wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(ready));
    }
    wasi_io_poll_pollable_drop_own(ready);
    if (!bound) {
        wasi_sockets_udp_udp_socket_drop_own(sock);
        return;
    }
    wasi_sockets_udp_tuple2_own_incoming_datagram_stream_own_outgoing_datagram_stream_t streams;
    /* No remote address on the stream: each datagram names its destination (like sendto). */
    if (!wasi_sockets_udp_method_udp_socket_stream(s, NULL, &streams, &err)) {
        fail(err, "stream");
        wasi_sockets_udp_udp_socket_drop_own(sock);
        return;
    }
    wasi_sockets_udp_borrow_outgoing_datagram_stream_t out =
        wasi_sockets_udp_borrow_outgoing_datagram_stream(streams.f1);
    uint64_t permitted = 0;
    wasi_io_poll_own_pollable_t writable = wasi_sockets_udp_method_outgoing_datagram_stream_subscribe(out);
    wasi_io_poll_method_pollable_block(wasi_io_poll_borrow_pollable(writable));
    wasi_io_poll_pollable_drop_own(writable);
    if (!wasi_sockets_udp_method_outgoing_datagram_stream_check_send(out, &permitted, &err)) {
        fail(err, "check-send");
    } else {
        wasi_sockets_udp_outgoing_datagram_t datagram = {
            .data = {(uint8_t *)message, strlen(message)},
            .remote_address = {.is_some = true, .val = *addr},
        };
        wasi_sockets_udp_list_outgoing_datagram_t list = {&datagram, 1};
        uint64_t sent = 0;
        if (!wasi_sockets_udp_method_outgoing_datagram_stream_send(out, &list, &sent, &err)) {
            fail(err, "send");
        } else if (sent != 1) {
            printf(" error not sent (sent %llu of 1, permitted %llu)\n", (unsigned long long)sent,
                   (unsigned long long)permitted);
        } else {
            printf(" ok\n");
        }
    }
    wasi_sockets_udp_outgoing_datagram_stream_drop_own(streams.f1);
    wasi_sockets_udp_incoming_datagram_stream_drop_own(streams.f0);
    wasi_sockets_udp_udp_socket_drop_own(sock);
}

int main(void) {
    net_probe_list_string_t args;
    wasi_cli_environment_get_arguments(&args);
    wasi_sockets_network_own_network_t network = wasi_sockets_instance_network_instance_network();
    wasi_sockets_network_borrow_network_t net = wasi_sockets_network_borrow_network(network);
    int status = 0;
    for (size_t i = 1; i < args.len;) {
        char *op = strndup((const char *)args.ptr[i].ptr, args.ptr[i].len);
        if (i + 3 >= args.len) {
            fprintf(stderr, "net-probe: `%s` needs <ip> <port> <message>\n", op);
            status = 2;
            free(op);
            break;
        }
        char *ip = strndup((const char *)args.ptr[i + 1].ptr, args.ptr[i + 1].len);
        char *port = strndup((const char *)args.ptr[i + 2].ptr, args.ptr[i + 2].len);
        char *message = strndup((const char *)args.ptr[i + 3].ptr, args.ptr[i + 3].len);
        printf("%s %s %s:", op, ip, port);
        wasi_sockets_network_ip_socket_address_t addr;
        if (parse_ipv4(ip, atoi(port), &addr) != 0) {
            printf(" error bad address\n");
        } else if (!strcmp(op, "tcp-connect")) {
            tcp_connect(net, &addr, message);
        } else if (!strcmp(op, "udp-send")) {
            udp_send(net, &addr, message);
        } else {
            printf(" error unknown operation\n");
            status = 2;
        }
        fflush(stdout);
        free(op);
        free(ip);
        free(port);
        free(message);
        i += 4;
    }
    wasi_sockets_network_network_drop_own(network);
    net_probe_list_string_free(&args);
    return status;
}
