using Registry.Contracts.Formats;

namespace Registry.Contracts.Tests.Formats;

public sealed class PropertiesParserTests
{
    [Fact]
    public void Parse_EverySeparatorStyle_ReadsKeysAndValues()
    {
        var properties = Parse("a=1\nb: 2\nc 3\nd   =   4  \ne:\nf\n");

        Assert.Equal([("a", "1"), ("b", "2"), ("c", "3"), ("d", "4  "), ("e", ""), ("f", "")], properties);
    }

    [Fact]
    public void Parse_CommentsAndBlankLines_AreSkipped()
    {
        Assert.Equal([("a", "1")], Parse("# comment\n! also\n\n   \na=1\n"));
    }

    [Fact]
    public void Parse_TrailingBackslash_ContinuesTheLine()
    {
        Assert.Equal([("list", "a,b,c"), ("next", "x")], Parse("list=a,\\\n    b,\\\n    c\nnext=x"));
    }

    [Fact]
    public void Parse_EvenBackslashes_DoNotContinue()
    {
        Assert.Equal([("path", "C:\\"), ("next", "x")], Parse("path=C:\\\\\nnext=x"));
    }

    [Fact]
    public void Parse_Escapes_AreDecoded()
    {
        Assert.Equal([("key with space", "tab\there"), ("u", "é"), ("eq=", "x")], Parse("key\\ with\\ space=tab\\there\nu=\\u00e9\neq\\==x"));
    }

    [Fact]
    public void Parse_CrLfLines_AreLines()
    {
        Assert.Equal([("a", "1"), ("b", "2")], Parse("a=1\r\nb=2\r\n"));
    }

    [Theory]
    [InlineData("a=\\u12", 1)]
    [InlineData("ok=1\nb=\\uZZZZ", 2)]
    [InlineData("ok=1\n=orphan", 2)]
    [InlineData("ok=1\n: orphan", 2)]
    public void Parse_BrokenLine_ReportsWhere(string text, int line)
    {
        Assert.False(PropertiesParser.TryParse(text, out _, out var error));
        Assert.Equal(line, error!.Line);
        Assert.True(error.Column >= 1);
    }

    private static List<(string, string)> Parse(string text)
    {
        Assert.True(PropertiesParser.TryParse(text, out var properties, out var error), error?.Message);
        return [.. properties.Select(p => (p.Key, p.Value))];
    }
}
