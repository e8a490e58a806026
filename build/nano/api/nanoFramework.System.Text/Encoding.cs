namespace System.Text;

public abstract class Encoding
{
    public static Encoding UTF8 => throw null!;

    public virtual byte[] GetBytes(string s) => throw null!;

    public virtual string GetString(byte[] bytes, int index, int count) => throw null!;
}
