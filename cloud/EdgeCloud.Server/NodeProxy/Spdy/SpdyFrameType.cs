namespace EdgeCloud.Server.NodeProxy.Spdy;

/// <summary>SPDY/3 control frame types (draft 3, section 2.6); 0 stands for a data frame here.</summary>
internal enum SpdyFrameType : ushort
{
    Data = 0,
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}
