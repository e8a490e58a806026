using EdgeMeter.Core.Protocol.Dlt645;
using EdgeMeter.MeterSim.Protocol.Dlt645;

namespace EdgeMeter.Core.Tests.Protocol.Dlt645;

public class Dlt645CatalogueTests
{
    private const Dlt645DataKind Num = Dlt645DataKind.Numeric;
    private const Dlt645DataKind Blk = Dlt645DataKind.Block;

    [Theory]
    [InlineData(0x00000000u, Num, 4, 2, true, "kWh")]
    [InlineData(0x00010000u, Num, 4, 2, false, "kWh")]
    [InlineData(0x00010100u, Num, 4, 2, false, "kWh")]
    [InlineData(0x00010200u, Num, 4, 2, false, "kWh")]
    [InlineData(0x00010300u, Num, 4, 2, false, "kWh")]
    [InlineData(0x00010400u, Num, 4, 2, false, "kWh")]
    [InlineData(0x0001FF00u, Blk, 20, 2, false, "kWh")]
    [InlineData(0x00020000u, Num, 4, 2, false, "kWh")]
    [InlineData(0x00030000u, Num, 4, 2, true, "kvarh")]
    [InlineData(0x00040000u, Num, 4, 2, true, "kvarh")]
    [InlineData(0x02010100u, Num, 2, 1, false, "V")]
    [InlineData(0x02010200u, Num, 2, 1, false, "V")]
    [InlineData(0x02010300u, Num, 2, 1, false, "V")]
    [InlineData(0x02020100u, Num, 3, 3, true, "A")]
    [InlineData(0x02020200u, Num, 3, 3, true, "A")]
    [InlineData(0x02020300u, Num, 3, 3, true, "A")]
    [InlineData(0x02030000u, Num, 3, 4, true, "kW")]
    [InlineData(0x02030100u, Num, 3, 4, true, "kW")]
    [InlineData(0x02030200u, Num, 3, 4, true, "kW")]
    [InlineData(0x02030300u, Num, 3, 4, true, "kW")]
    [InlineData(0x02040000u, Num, 3, 4, true, "kvar")]
    [InlineData(0x02040300u, Num, 3, 4, true, "kvar")]
    [InlineData(0x02050000u, Num, 3, 4, true, "kVA")]
    [InlineData(0x02050300u, Num, 3, 4, true, "kVA")]
    [InlineData(0x02060000u, Num, 2, 3, true, "")]
    [InlineData(0x02060300u, Num, 2, 3, true, "")]
    [InlineData(0x02800001u, Num, 3, 3, false, "A")]
    [InlineData(0x02800002u, Num, 2, 2, false, "Hz")]
    [InlineData(0x02800007u, Num, 2, 1, true, "degC")]
    [InlineData(0x04000101u, Dlt645DataKind.Date, 4, 0, false, "")]
    [InlineData(0x04000102u, Dlt645DataKind.Time, 3, 0, false, "")]
    [InlineData(0x04000401u, Dlt645DataKind.Address, 6, 0, false, "")]
    [InlineData(0x04000402u, Dlt645DataKind.Address, 6, 0, false, "")]
    [InlineData(0x05060101u, Blk, 20, 2, false, "kWh")]
    [InlineData(0x0506013Eu, Blk, 20, 2, false, "kWh")]
    public void Catalogues_the_2007_identifiers(
        uint di, Dlt645DataKind kind, int length, int decimals, bool signed, string unit)
    {
        AssertItem(di, Dlt645Version.V2007, kind, length, decimals, signed, unit);
    }

    [Theory]
    [InlineData(0x9010u, Num, 4, 2, false, "kWh")]
    [InlineData(0x9410u, Num, 4, 2, false, "kWh")]
    [InlineData(0xB611u, Num, 2, 0, false, "V")]
    [InlineData(0xB612u, Num, 2, 0, false, "V")]
    [InlineData(0xB613u, Num, 2, 0, false, "V")]
    [InlineData(0xB621u, Num, 2, 2, false, "A")]
    [InlineData(0xB622u, Num, 2, 2, false, "A")]
    [InlineData(0xB623u, Num, 2, 2, false, "A")]
    [InlineData(0xB630u, Num, 3, 4, false, "kW")]
    [InlineData(0xB640u, Num, 2, 2, false, "kvar")]
    [InlineData(0xB650u, Num, 2, 3, false, "")]
    [InlineData(0xC010u, Dlt645DataKind.Date, 4, 0, false, "")]
    [InlineData(0xC011u, Dlt645DataKind.Time, 3, 0, false, "")]
    public void Catalogues_the_1997_identifiers(
        uint di, Dlt645DataKind kind, int length, int decimals, bool signed, string unit)
    {
        AssertItem(di, Dlt645Version.V1997, kind, length, decimals, signed, unit);
    }

    [Fact]
    public void Blocks_hold_whole_elements_and_the_forward_energy_block_has_total_and_four_tariffs()
    {
        var block = Dlt645Catalogue.Find(0x0001FF00, Dlt645Version.V2007)!;
        Assert.Equal(4, block.ElementLength);
        Assert.Equal(5, block.Length / block.ElementLength);
        for (var i = 0; i < Dlt645Catalogue.Count; i++)
        {
            var item = Dlt645Catalogue.Get(i);
            Assert.Equal(0, item.Length % item.ElementLength);
            Assert.InRange(item.ElementLength, 1, Dlt645ValueCodec.MaxLength);
            Assert.False(string.IsNullOrWhiteSpace(item.Name));
            Assert.Equal(item.Kind == Blk, item.ElementLength != item.Length);
        }
    }

    [Fact]
    public void Keeps_62_daily_frozen_records()
    {
        for (uint day = 1; day <= 62; day++)
        {
            var item = Dlt645Catalogue.Find(0x05060100 + day, Dlt645Version.V2007);
            Assert.NotNull(item);
            Assert.Contains(day.ToString(), item!.Name);
        }

        Assert.Null(Dlt645Catalogue.Find(0x0506013F, Dlt645Version.V2007));
        Assert.Null(Dlt645Catalogue.Find(0x05060100, Dlt645Version.V2007));
    }

    [Fact]
    public void Has_each_identifier_once_per_version()
    {
        var keys = Enumerable.Range(0, Dlt645Catalogue.Count)
            .Select(Dlt645Catalogue.Get)
            .Select(item => (item.DataIdentifier, item.Version))
            .ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(keys.Where(k => k.Version == Dlt645Version.V1997), k => Assert.True(k.DataIdentifier <= 0xFFFF));
    }

    [Fact]
    public void Does_not_mix_versions()
    {
        Assert.Null(Dlt645Catalogue.Find(0x9010, Dlt645Version.V2007));
        Assert.Null(Dlt645Catalogue.Find(0x00010000, Dlt645Version.V1997));
        Assert.Null(Dlt645Catalogue.Find(0x12345678, Dlt645Version.V2007));
    }

    [Theory]
    [InlineData(0x9010u, 0x00010000u)]
    [InlineData(0xB611u, 0x02010100u)]
    [InlineData(0xB612u, 0x02010200u)]
    [InlineData(0xB613u, 0x02010300u)]
    [InlineData(0xB621u, 0x02020100u)]
    [InlineData(0xB622u, 0x02020200u)]
    [InlineData(0xB623u, 0x02020300u)]
    [InlineData(0xB630u, 0x02030000u)]
    [InlineData(0xB640u, 0x02040000u)]
    [InlineData(0xC011u, 0x04000102u)]
    [InlineData(0xC010u, 0x04000101u)]
    [InlineData(0xB650u, 0x02060000u)]
    public void Maps_1997_identifiers_to_2007(uint di1997, uint di2007)
    {
        Assert.True(Dlt645IdentifierMap.TryMapTo2007(di1997, out var mapped));
        Assert.Equal(di2007, mapped);
        Assert.True(Dlt645IdentifierMap.TryMapTo1997(di2007, out var back));
        Assert.Equal(di1997, back);
    }

    [Fact]
    public void Maps_only_to_catalogued_items_of_the_same_unit()
    {
        for (var i = 0; i < Dlt645Catalogue.Count; i++)
        {
            var item = Dlt645Catalogue.Get(i);
            if (item.Version != Dlt645Version.V1997 || !Dlt645IdentifierMap.TryMapTo2007(item.DataIdentifier, out var di2007))
            {
                continue;
            }

            var twin = Dlt645Catalogue.Find(di2007, Dlt645Version.V2007);
            Assert.NotNull(twin);
            Assert.Equal(item.Unit, twin!.Unit);
            Assert.Equal(item.Kind, twin.Kind);
        }

        Assert.False(Dlt645IdentifierMap.TryMapTo2007(0x1234, out _));
    }

    [Fact]
    public void Looks_up_without_allocating()
    {
        Dlt645Catalogue.Find(0x0506013E, Dlt645Version.V2007);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Dlt645Catalogue.Find(0x0506013E, Dlt645Version.V2007);
            Dlt645Catalogue.Find(0xC011, Dlt645Version.V1997);
            Dlt645IdentifierMap.TryMapTo2007(0xC011, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Is_listed_in_the_public_docs()
    {
        var docs = File.ReadAllText(FindRepositoryFile("docs/dlt645.md"));
        for (var i = 0; i < Dlt645Catalogue.Count; i++)
        {
            var item = Dlt645Catalogue.Get(i);
            var isLaterDailyRecord = (item.DataIdentifier > 0x05060101 && item.DataIdentifier <= 0x0506013E)
                || (item.DataIdentifier > 0x05060001 && item.DataIdentifier <= 0x0506003E);
            if (isLaterDailyRecord)
            {
                continue; // documented as the ranges 05060001..0506003E and 05060101..0506013E
            }

            var text = item.Version == Dlt645Version.V1997
                ? item.DataIdentifier.ToString("X4")
                : item.DataIdentifier.ToString("X8");
            Assert.Contains($"`{text}`", docs);
        }
    }

    private static void AssertItem(
        uint di, Dlt645Version version, Dlt645DataKind kind, int length, int decimals, bool signed, string unit)
    {
        var item = Dlt645Catalogue.Find(di, version);

        Assert.NotNull(item);
        Assert.Equal(di, item!.DataIdentifier);
        Assert.Equal(version, item.Version);
        Assert.Equal(kind, item.Kind);
        Assert.Equal(length, item.Length);
        Assert.Equal(decimals, item.Decimals);
        Assert.Equal(signed, item.Signed);
        Assert.Equal(unit, item.Unit);
    }

    private static string FindRepositoryFile(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relativePath);
    }
}
