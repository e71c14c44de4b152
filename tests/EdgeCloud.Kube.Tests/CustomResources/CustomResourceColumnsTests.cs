using System.Text.Json.Nodes;
using EdgeCloud.Kube.CustomResources;
using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.CustomResources;

public sealed class CustomResourceColumnsTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonObject Object = JsonNode.Parse("""
    {"apiVersion":"stable.example.com/v1","kind":"CronTab",
     "metadata":{"name":"nightly","creationTimestamp":"2024-04-28T12:00:00Z"},
     "spec":{"cronSpec":"*/5 * * * *","image":"busybox","replicas":3},
     "status":{"lastScheduleTime":"2024-05-01T11:55:00Z",
               "conditions":[{"type":"Scheduled","status":"True"},{"type":"Ready","status":"False"}]}}
    """)!.AsObject();

    private static IReadOnlyList<PrinterColumn> Columns => CustomResourceKinds.FromDefinition(CronTabDefinition.Parse())[0].PrinterColumns;

    private static JsonNode? Cell(string name) => Columns.Single(c => c.Name == name).Cell(Object, Now);

    [Fact]
    public void Declared_columns_keep_their_order_types_and_priorities()
    {
        Assert.Equal(["Spec", "Replicas", "Ready", "Image", "Last Schedule", "Age"], Columns.Select(c => c.Name));
        Assert.Equal(["string", "integer", "string", "string", "date", "date"], Columns.Select(c => c.Type));
        Assert.Equal([0, 0, 0, 1, 0, 0], Columns.Select(c => c.Priority));
        Assert.Equal("The cron spec.", Columns[0].Description);
    }

    [Fact]
    public void Cells_follow_their_json_paths()
    {
        Assert.Equal("*/5 * * * *", Cell("Spec")!.GetValue<string>());
        Assert.Equal(3L, Cell("Replicas")!.GetValue<long>());
        Assert.Equal("False", Cell("Ready")!.GetValue<string>());
        Assert.Equal("5m", Cell("Last Schedule")!.GetValue<string>());
        Assert.Equal("3d", Cell("Age")!.GetValue<string>());
    }

    [Fact]
    public void A_missing_value_is_an_empty_cell()
    {
        var bare = JsonNode.Parse("""{"metadata":{"name":"a"},"spec":{}}""")!.AsObject();
        Assert.All(Columns, c => Assert.Null(c.Cell(bare, Now)));
    }

    [Fact]
    public void Without_declared_columns_there_is_an_age_column()
    {
        var kind = CustomResourceKinds.FromDefinition(CronTabDefinition.Parse())[1];
        var column = Assert.Single(kind.PrinterColumns);
        Assert.Equal("Age", column.Name);
        Assert.Equal("date", column.Type);
        Assert.Equal("3d", column.Cell(Object, Now)!.GetValue<string>());
    }

    [Theory]
    [InlineData("string", "\"text\"", "text")]
    [InlineData("string", "7", "7")]
    [InlineData("string", "{\"a\":[1,2]}", "{\"a\":[1,2]}")]
    [InlineData("string", "[\"x\",\"y\"]", "[\"x\",\"y\"]")]
    [InlineData("integer", "7", "7")]
    [InlineData("integer", "7.9", "7")]
    [InlineData("integer", "\"7\"", null)]
    [InlineData("number", "1.5", "1.5")]
    [InlineData("boolean", "true", "true")]
    [InlineData("boolean", "\"true\"", null)]
    [InlineData("date", "\"2024-05-01T10:00:00Z\"", "120m")]
    [InlineData("date", "\"2024-04-20T12:00:00Z\"", "11d")]
    [InlineData("date", "\"yesterday\"", "<invalid>")]
    [InlineData("date", "\"\"", "<unknown>")]
    [InlineData("date", "5", null)]
    public void Values_are_formatted_by_column_type(string type, string value, string? expected)
    {
        var cell = CustomResourceColumns.Cell(type, [JsonNode.Parse(value)], Now);
        if (expected is null)
        {
            Assert.Null(cell);
        }
        else if (type is "string" or "date")
        {
            Assert.Equal(expected, cell!.GetValue<string>());
        }
        else
        {
            Assert.Equal(expected, cell!.ToJsonString());
        }
    }
}
