namespace EdgeCloud.Tunnel.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones_and_valid()
    {
        var options = new TunnelOptions();
        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(15), options.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(45), options.KeepAliveTimeout);
        Assert.Equal(512 * 1024, options.InitialStreamWindow);
        Assert.Equal(4 * 1024 * 1024, options.MaxStreamWindow);
        Assert.Equal(16 * 1024, options.DataFrameSize);
    }

    public static TheoryData<string, Action<TunnelOptions>> Invalid() => new()
    {
        { "KeepAliveTimeout", o => o.KeepAliveTimeout = o.KeepAliveInterval },
        { "KeepAliveInterval", o => o.KeepAliveInterval = TimeSpan.Zero },
        { "InitialStreamWindow", o => o.InitialStreamWindow = 100 },
        { "SessionReceiveBudget", o => o.SessionReceiveBudget = 1024 },
        { "MaxStreamWindow", o => o.MaxStreamWindow = 1024 },
        { "DataFrameSize", o => o.DataFrameSize = 70_000 },
        { "MaxConcurrentStreams", o => o.MaxConcurrentStreams = 0 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_setting_is_named_in_the_error(string setting, Action<TunnelOptions> change)
    {
        var options = new TunnelOptions();
        change(options);
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_and_server_options_say_what_is_missing()
    {
        Assert.Contains("Endpoints", Assert.Throws<ArgumentException>(() => new TunnelClientOptions().Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("wss://", Assert.Throws<ArgumentException>(() => new TunnelClientOptions { Endpoints = [new Uri("http://x/")] }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Authenticate", Assert.Throws<ArgumentException>(() => new TunnelServerOptions().Validate()).Message, StringComparison.Ordinal);
    }
}
