/*
 * An independent Modbus server for EdgeMeter's interoperability tests, built on libmodbus (Debian libmodbus-dev).
 * It serves fixed, known values, as an RTU server on a serial device (a pty in the tests, so parity none) or as a
 * Modbus TCP server on a loopback port, and answers until it is killed or 60 seconds have passed.
 *
 *   gcc -o modbus_server modbus_server.c $(pkg-config --cflags --libs libmodbus)
 *   ./modbus_server /dev/pts/N 9600 17      RTU, 9600 8N1, unit 17
 *   ./modbus_server tcp 15020 17            Modbus TCP on 127.0.0.1:15020, unit 17 (one client at a time)
 *
 * Unit (slave id) 17. Holding registers (function 03) 0x0100..0x010F, input registers (function 04)
 * 0x0200..0x020F; anything else is answered with exception 02 (illegal data address) by libmodbus:
 *   0x0100 int16   -1234
 *   0x0101 uint16  60000
 *   0x0102 int32   -12345678          most significant word first (ABCD)
 *   0x0104 float32 230.5              ABCD
 *   0x0106 float32 49.98              CDAB, word swapped
 *   0x0108 int64   -1234567890123     most significant word first
 *   0x0200 float32 12345.67           ABCD
 *   0x0202 uint32  4000000000         most significant word first
 *
 * Floats are placed from their IEEE 754 bits here rather than with modbus_set_float_abcd/_cdab: in libmodbus
 * 3.1.6 (Debian 12) those swap the bytes inside each register on little-endian machines.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <modbus.h>

/* 32 bits into two registers, most significant register first unless word_swap. */
static void put32(uint16_t *registers, uint32_t bits, int word_swap)
{
    registers[word_swap ? 1 : 0] = (uint16_t)(bits >> 16);
    registers[word_swap ? 0 : 1] = (uint16_t)(bits & 0xFFFF);
}

static void put_float(uint16_t *registers, float value, int word_swap)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    put32(registers, bits, word_swap);
}

static void put64(uint16_t *registers, uint64_t bits)
{
    put32(registers, (uint32_t)(bits >> 32), 0);
    put32(registers + 2, (uint32_t)(bits & 0xFFFFFFFFu), 0);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s DEVICE BAUD UNIT | %s tcp PORT UNIT\n", argv[0], argv[0]);
        return 2;
    }

    alarm(60); /* never outlive a test run */

    int tcp = strcmp(argv[1], "tcp") == 0;
    modbus_t *ctx = tcp ? modbus_new_tcp("127.0.0.1", atoi(argv[2])) : modbus_new_rtu(argv[1], atoi(argv[2]), 'N', 8, 1);
    if (ctx == NULL) {
        fprintf(stderr, "modbus_new_%s: %s\n", tcp ? "tcp" : "rtu", modbus_strerror(errno));
        return 1;
    }

    modbus_set_slave(ctx, atoi(argv[3]));
    int listener = -1;
    if (tcp) {
        listener = modbus_tcp_listen(ctx, 1);
        if (listener == -1) {
            fprintf(stderr, "modbus_tcp_listen %s: %s\n", argv[2], modbus_strerror(errno));
            modbus_free(ctx);
            return 1;
        }
    } else if (modbus_connect(ctx) == -1) {
        fprintf(stderr, "modbus_connect %s: %s\n", argv[1], modbus_strerror(errno));
        modbus_free(ctx);
        return 1;
    }

    modbus_mapping_t *map = modbus_mapping_new_start_address(0, 0, 0, 0, 0x0100, 16, 0x0200, 16);
    if (map == NULL) {
        fprintf(stderr, "modbus_mapping_new_start_address: %s\n", modbus_strerror(errno));
        return 1;
    }

    uint16_t *holding = map->tab_registers;
    uint16_t *input = map->tab_input_registers;
    holding[0] = (uint16_t)(int16_t)-1234;
    holding[1] = 60000;
    put32(holding + 2, (uint32_t)(int32_t)-12345678, 0);
    put_float(holding + 4, 230.5f, 0);
    put_float(holding + 6, 49.98f, 1);
    put64(holding + 8, (uint64_t)(int64_t)-1234567890123LL);
    put_float(input + 0, 12345.67f, 0);
    put32(input + 2, 4000000000u, 0);

    printf("ready\n");
    fflush(stdout);

    uint8_t request[MODBUS_TCP_MAX_ADU_LENGTH];
    for (;;) {
        if (tcp && modbus_tcp_accept(ctx, &listener) == -1) {
            break;
        }

        for (;;) {
            int length = modbus_receive(ctx, request);
            if (length > 0) {
                modbus_reply(ctx, request, length, map);
            } else if (length == -1 && errno != EMBBADCRC && errno != EMBBADDATA && errno != ETIMEDOUT) {
                /* The other end went away: over for a pty; for TCP, wait for the next client. */
                break;
            }
        }

        if (!tcp) {
            break;
        }

        modbus_close(ctx);
    }

    modbus_mapping_free(map);
    modbus_close(ctx);
    modbus_free(ctx);
    return 0;
}
