using EdgeMeter.Firmware.Update;

namespace EdgeMeter.NanoCheck;

/// <summary>
/// Prints .pe images in dependency order (each after every image it references). nanoCLR runs static constructors
/// assembly by assembly in the order the assemblies were loaded and does not wait for referenced ones, so a
/// deployment (or a nanoCLR test run) must list them in this order.
/// </summary>
public static class LoadOrder
{
    public static int Run(string[] args, TextWriter output)
    {
        var images = new Dictionary<string, (string Path, AssemblyImage Image)>(StringComparer.Ordinal);
        foreach (var path in args)
        {
            var image = AssemblyImage.Read(new ImageBytes(File.ReadAllBytes(path)), out var error);
            if (image == null)
            {
                output.WriteLine($"{path}: {error}");
                return 2;
            }

            images[image.Name] = (path, image);
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in images.Keys.Order(StringComparer.Ordinal))
        {
            if (!Visit(name, images, done, visiting, output))
            {
                output.WriteLine($"nanocheck order: the references of {name} form a cycle");
                return 1;
            }
        }

        return 0;
    }

    private static bool Visit(string name, Dictionary<string, (string Path, AssemblyImage Image)> images, HashSet<string> done, HashSet<string> visiting, TextWriter output)
    {
        if (done.Contains(name) || !images.TryGetValue(name, out var entry))
        {
            return true;
        }

        if (!visiting.Add(name))
        {
            return false;
        }

        foreach (var reference in entry.Image.References)
        {
            if (!Visit(reference.Name, images, done, visiting, output))
            {
                return false;
            }
        }

        done.Add(name);
        output.WriteLine(entry.Path);
        return true;
    }
}
