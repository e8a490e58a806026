using EdgeMeter.NanoCheck;

// nanocheck: checks of nanoFramework device assemblies that need none of nanoFramework's tools (build/nano/README.md).
return args.Length == 0 ? Usage() : args[0] switch
{
    "budget" => BudgetCommand.Run(args[1..], Console.Out),
    "api" => ApiConformance.Run(args[1..], Console.Out),
    "pe" => PeTable.Run(args[1..], Console.Out),
    "natives" => NativeChecksums.Run(args[1..], Console.Out),
    "order" => LoadOrder.Run(args[1..], Console.Out),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: nanocheck budget [--bytecode BYTES] [--strings BYTES] ASSEMBLY.dll...
                 the metadata processor's byte-code and string tables, computed from the IL, against budgets
               nanocheck api DECLARATIONS_DIR REAL_DIR
                 every declared type and member exists in the real assembly of the same name, with the same signature
               nanocheck pe [--partition BYTES] IMAGE.pe...
                 a markdown table of the .pe files: size, byte code, strings, version, native checksum
               nanocheck natives NF_INTERPRETER_DIR IMAGE.pe...
                 each image's native checksum against the native tables of an nf-interpreter source tree
               nanocheck order IMAGE.pe...
                 the images in dependency order, as nanoCLR must load them
        """);
    return 2;
}
