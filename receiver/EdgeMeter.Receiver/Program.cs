Console.Error.WriteLine("edgemeter-receiver: not yet wired");
return 2;
