using System.Text;
using System.Text.Json;
using TaskQueue.Jobs;

namespace TaskQueue.Tests.Jobs;

public sealed class JobDataTests
{
    /// <summary>`data` of job json-ok, as Python RQ 1.13 wrote it (shared/reference/rq/dump_json_after.trim.txt).</summary>
    private static readonly byte[] RqPositional =
    [
        0x78, 0x9C, 0x8B, 0x56, 0x2A, 0x49, 0x2C, 0xCE, 0x2E, 0xD6, 0x4B, 0x4C, 0x49, 0x51, 0xD2, 0x51, 0xC8, 0x2B, 0xCD, 0xC9,
        0xD1, 0x51, 0x88, 0x36, 0xD2, 0x51, 0x30, 0x8E, 0xD5, 0x51, 0xA8, 0xAE, 0x8D, 0x05, 0x00, 0x9D, 0xCF, 0x09, 0x7A,
    ];

    /// <summary>`data` of job json-kw: tasks.add(x=1, y=2).</summary>
    private static readonly byte[] RqKeywords =
    [
        0x78, 0x9C, 0x8B, 0x56, 0x2A, 0x49, 0x2C, 0xCE, 0x2E, 0xD6, 0x4B, 0x4C, 0x49, 0x51, 0xD2, 0x51, 0xC8, 0x2B, 0xCD, 0xC9,
        0xD1, 0x51, 0x88, 0x8E, 0xD5, 0x51, 0xA8, 0x56, 0xAA, 0x50, 0xB2, 0x52, 0x30, 0xD4, 0x51, 0x50, 0xAA, 0x04, 0xD2, 0x46,
        0xB5, 0xB1, 0x00, 0x07, 0xAB, 0x0B, 0xA5,
    ];

    [Fact]
    public void Decode_RqJsonSerializerPositional_ReadsNameAndArgs()
    {
        var call = JobData.Decode(RqPositional);

        Assert.Equal("tasks.add", call.TaskName);
        Assert.Equal([2, 3], call.Args.Select(a => a.GetInt32()));
        Assert.Empty(call.Kwargs);
        Assert.Equal("tasks.add(2, 3)", JobDescription.Of(call));
    }

    [Fact]
    public void Decode_RqJsonSerializerKeywords_ReadsKwargsInOrder()
    {
        var call = JobData.Decode(RqKeywords);

        Assert.Equal(["x", "y"], call.Kwargs.Select(k => k.Key));
        Assert.Equal("tasks.add(x=1, y=2)", JobDescription.Of(call));
    }

    [Fact]
    public void Encode_SmallCall_PlainJsonArrayWhichRqsReaderFallsBackTo()
    {
        var bytes = JobData.Encode("dundie.tasks.user.send_email", [], new Dictionary<string, object?> { ["email"] = "a@b.c" }, JsonSerializerOptions.Default);

        Assert.Equal("""["dundie.tasks.user.send_email",null,[],{"email":"a@b.c"}]""", Encoding.UTF8.GetString(bytes));
        Assert.Null(JobData.TryDecompress(bytes));
    }

    [Fact]
    public void Encode_LargeCall_ZlibAtRqsDefaultLevel()
    {
        var text = new string('x', JobData.CompressAbove);
        var bytes = JobData.Encode("t", [text], new Dictionary<string, object?>(), JsonSerializerOptions.Default);

        Assert.Equal([0x78, 0x9C], bytes[..2]);
        Assert.Equal(text, JobData.Decode(bytes).Args[0].GetString());
    }

    [Fact]
    public void Decode_UncompressedJson_ReadLikeRqsFallback()
    {
        var call = JobData.Decode("""["taskq.echo", null, ["hi"], {}]"""u8);

        Assert.Equal("taskq.echo", call.TaskName);
        Assert.Equal("hi", call.Args[0].GetString());
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x05, 0x95 }, "pickle")]
    [InlineData(new byte[] { 0x78, 0x9C, 0x00, 0x01 }, "not valid JSON")]
    [InlineData(new byte[] { (byte)'{', (byte)'}' }, "not the JSON array")]
    public void Decode_CorruptOrForeignData_ReadableReason(byte[] data, string reason)
    {
        var error = Assert.Throws<JobDataException>(() => JobData.Decode(data));
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("""["t",null,[],{}]""")]
    [InlineData("""[ "t" , null, [ ], { } ]""")]
    public void Decode_NoArguments_NameAndEmptyArguments(string json)
    {
        var call = JobData.Decode(Encoding.UTF8.GetBytes(json));

        Assert.Equal(("t", 0, 0), (call.TaskName, call.Args.Count, call.Kwargs.Count));
    }

    [Theory]
    // RQ unpacks exactly four values: a fifth element fails there too, so it is refused, not ignored.
    [InlineData("""["t", null, [], {}, "extra"]""", "not the JSON array")]
    [InlineData("""["t", null, [], {}""", "not valid JSON")]
    public void Decode_AlmostNoArguments_GeneralPathDecides(string json, string expected)
    {
        try { Assert.Equal(expected, JobData.Decode(Encoding.UTF8.GetBytes(json)).TaskName); }
        catch (JobDataException e) { Assert.Contains(expected, e.Message); }
    }

    [Fact]
    public void Decode_BoundInstance_RefusedAsPythonOnly()
    {
        var error = Assert.Throws<JobDataException>(() => JobData.Decode("""["Thing.method", {"x": 1}, [], {}]"""u8));
        Assert.Contains("bound instance", error.Message);
    }

    [Fact]
    public void Description_PythonRepr_EscapesAndNames()
    {
        var call = JobData.Decode("""["t", null, ["it's", true, null, 1.5, [1, "a"], {"k": false}], {"email": "a@b.c"}]"""u8);

        Assert.Equal("t('it\\'s', True, None, 1.5, [1, 'a'], {'k': False}, email='a@b.c')", JobDescription.Of(call));
    }

    [Fact]
    public void DecodeText_CompressedOrPlain_BothRead()
    {
        Assert.Equal("boom", JobData.DecodeText(JobData.CompressText("boom")));
        Assert.Equal("boom", JobData.DecodeText(Encoding.UTF8.GetBytes("boom")));
    }
}
