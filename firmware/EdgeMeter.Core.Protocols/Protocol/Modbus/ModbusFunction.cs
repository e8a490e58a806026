namespace EdgeMeter.Core.Protocol.Modbus;

/// <summary>The Modbus function codes this core speaks, as they appear in the second byte of an RTU frame.</summary>
public enum ModbusFunction
{
    ReadCoils = 0x01,
    ReadDiscreteInputs = 0x02,
    ReadHoldingRegisters = 0x03,
    ReadInputRegisters = 0x04,
    WriteSingleCoil = 0x05,
    WriteSingleRegister = 0x06,
    WriteMultipleCoils = 0x0F,
    WriteMultipleRegisters = 0x10,
}
