"""An independent Modbus TCP server for EdgeMeter's interoperability tests, built on pymodbus (Debian
python3-pymodbus 3.0). It serves the same fixed values as modbus_server.c, for unit 17, on 127.0.0.1:PORT, until it
is killed or 60 seconds have passed.

    /usr/bin/python3 pymodbus_tcp_server.py PORT
"""
import signal
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer


def words32(bits, word_swap=False):
    high, low = bits >> 16, bits & 0xFFFF
    return [low, high] if word_swap else [high, low]


def float_bits(value):
    return struct.unpack(">I", struct.pack(">f", value))[0]


def main():
    port = int(sys.argv[1])
    signal.alarm(60)  # never outlive a test run
    holding = [0] * 0x0300
    holding[0x0100] = (-1234) & 0xFFFF
    holding[0x0101] = 60000
    holding[0x0102:0x0104] = words32((-12345678) & 0xFFFFFFFF)
    holding[0x0104:0x0106] = words32(float_bits(230.5))
    holding[0x0106:0x0108] = words32(float_bits(49.98), word_swap=True)
    value = (-1234567890123) & 0xFFFFFFFFFFFFFFFF
    holding[0x0108:0x010C] = words32(value >> 32) + words32(value & 0xFFFFFFFF)
    inputs = [0] * 0x0300
    inputs[0x0200:0x0202] = words32(float_bits(12345.67))
    inputs[0x0202:0x0204] = words32(4000000000)
    # zero_mode: register N is address N on the wire (pymodbus otherwise adds one).
    device = ModbusSlaveContext(
        hr=ModbusSequentialDataBlock(0, holding),
        ir=ModbusSequentialDataBlock(0, inputs),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves={17: device}, single=False)
    print("ready", flush=True)
    StartTcpServer(context=context, address=("127.0.0.1", port))


if __name__ == "__main__":
    main()
