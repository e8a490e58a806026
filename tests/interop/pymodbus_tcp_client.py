"""An independent Modbus TCP client for EdgeMeter's interoperability tests, built on pymodbus (Debian
python3-pymodbus 3.0): reads registers from a Modbus TCP server and prints them, one "address: value" per line.

    /usr/bin/python3 pymodbus_tcp_client.py HOST PORT UNIT FUNCTION ADDRESS COUNT
"""
import sys

from pymodbus.client import ModbusTcpClient


def main():
    host, port, unit, function, address, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    client = ModbusTcpClient(host, port=port, timeout=3)
    if not client.connect():
        print(f"cannot connect to {host}:{port}", file=sys.stderr)
        return 1

    read = client.read_input_registers if function == 4 else client.read_holding_registers
    reply = read(address, count, slave=unit)
    client.close()
    if reply.isError():
        print(f"error reply: {reply}", file=sys.stderr)
        return 1

    for offset, value in enumerate(reply.registers):
        print(f"{address + offset}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
