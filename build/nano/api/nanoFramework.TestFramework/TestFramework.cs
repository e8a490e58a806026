using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public class TestClassAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public class TestMethodAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public class SetupAttribute : Attribute
{
}

[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public class CleanupAttribute : Attribute
{
}

public class SkipTestException : Exception
{
    public SkipTestException(string message = null!, Exception innerException = null!) => throw null!;
}

public sealed class Assert
{
    public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreEqual(char expected, char actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreEqual(int expected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreEqual(long expected, long actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreEqual(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreEqual(string expected, string actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression(nameof(actual))] string message = "") => throw null!;

    public static void IsFalse(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") => throw null!;

    public static void IsTrue(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "") => throw null!;

    public static void IsNotNull(object value, [CallerArgumentExpression(nameof(value))] string message = "") => throw null!;

    public static void IsNull(object value, [CallerArgumentExpression(nameof(value))] string message = "") => throw null!;

    public static void SkipTest(string message = null!) => throw null!;

    public static void ThrowsException(Type exception, Action action, [CallerArgumentExpression(nameof(action))] string message = "") => throw null!;
}
