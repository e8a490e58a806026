namespace EdgeMeter.Firmware.Tests.Packet;

/// <summary>
/// Copies of vectors from tests/vectors/packets.json (a device cannot read that file). A Host test
/// (FirmwareProjectTests) checks that every constant here still equals the vector of the same name.
/// </summary>
internal static class PacketVectors
{
    public const string Key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    public const string WrongKeyHex = "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedecebeae9e8e7e6e5e4e3e2e1e0";

    /// <summary>up-single-reading: One active-energy reading (DL/T 645 address and data identifier).</summary>
    public const string UpSingleReading = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoxLCJrIjoidXAiLCJndyI6Imd3LTAwMDEiLCJzZXEiOjEwMDEsInRzIjoiMjAyNS0wNS0zMVQyMzo1OTowMFoiLCJyIjpbeyJuIjoxMDAxMDEsIm0iOiIwMDAwMTIzNDU2NzgiLCJwIjoiMDAwMTAwMDAiLCJ0IjoiMjAyNS0wNS0zMVQyMzo0NTowMFoiLCJ2YWwiOiIxMjM0NS42NyIsInUiOiJrV2giLCJxIjpbXX1dfQ.t_oYFbAEzZGJUgBPeVLEqrXfTbexjXgok0KHbdmS8p8";

    /// <summary>up-v2-typical: Schema v2: two DL/T 645 meters polled at 23:45, five points each; one row per meter, tables of meters, points and units.</summary>
    public const string UpV2Typical = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoyLCJrIjoidXAiLCJndyI6Imd3LTAwMDEiLCJzZXEiOjMwMDEsInRzIjoiMjAyNS0wNS0zMVQyMzo1OTowMFoiLCJuIjo3MDAwMDEsInQiOiIyMDI1LTA1LTMxVDIzOjQ1OjAwWiIsInIiOltbMCwwLDAsIjEyMzQ1LjY3IiwiMTIuMDEiLCIyMjAuMyIsIjUuMTI2IiwiMS4xMjM4Il0sWzEsMCwwLCIxMjM0NS43MiIsIjEyLjA2IiwiMjIwLjgiLCI1LjEzMSIsIjEuMTI0MyJdXSwibSI6WyIwMDAwMTIzNDU2NzgiLCIwMDAwMTIzNDU2NzkiXSwicCI6WyIwMDAxMDAwMCIsIjAwMDIwMDAwIiwiMDIwMTAxMDAiLCIwMjAyMDEwMCIsIjAyMDMwMDAwIl0sInUiOlsia1doIiwia1doIiwiViIsIkEiLCJrVyJdfQ.SV1qKinkb-U8QJEv_p1OpeeJbDTdLKKa_ghAnX5wtw0";

    /// <summary>down-command: A command from the platform, with its own sequence number and an expiry.</summary>
    public const string DownCommand = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoxLCJrIjoiZG93biIsImd3IjoiZ3ctMDAwMSIsInNlcSI6MTcsInRzIjoiMjAyNS0wNS0zMVQyMzo1ODowMFoiLCJleHBpcmVzIjoiMjAyNS0wNi0wMVQwMDoxMDowMFoiLCJuYW1lIjoicG9sbC1ub3ciLCJhcmdzIjp7Im1ldGVyIjoiMDAwMDEyMzQ1Njc4IiwicG9pbnQiOiIwMDAxMDAwMCJ9fQ.pVD43ApmBiie3JQc0RJWNGC60AKi3HH2wo9FhPO0ntI";

    /// <summary>reply-ok: The gateway's answer to command 17.</summary>
    public const string ReplyOk = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoxLCJrIjoicmVwbHkiLCJndyI6Imd3LTAwMDEiLCJzZXEiOjEwMDcsInRzIjoiMjAyNS0wNS0zMVQyMzo1OTowMFoiLCJjbWQiOjE3LCJyZXN1bHQiOiJvayIsIm1zZyI6InBvbGxlZCAyIHBvaW50cyJ9.-iPnT3o1QfW36RVXyQg2R1jpbLDoI4NBMZsQedo5dO0";

    /// <summary>tampered-payload: One digit of the reading changed after signing.</summary>
    public const string TamperedPayload = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoxLCJrIjoidXAiLCJndyI6Imd3LTAwMDEiLCJzZXEiOjEwMDEsInRzIjoiMjAyNS0wNS0zMVQyMzo1OTowMFoiLCJyIjpbeyJuIjoxMDAxMDEsIm0iOiIwMDAwMTIzNDU2NzgiLCJwIjoiMDAwMTAwMDAiLCJ0IjoiMjAyNS0wNS0zMVQyMzo0NTowMFoiLCJ2YWwiOiI5MjM0NS42NyIsInUiOiJrV2giLCJxIjpbXX1dfQ.t_oYFbAEzZGJUgBPeVLEqrXfTbexjXgok0KHbdmS8p8";

    /// <summary>wrong-key: Verified with a key other than the one that signed it.</summary>
    public const string WrongKey = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoxLCJrIjoidXAiLCJndyI6Imd3LTAwMDEiLCJzZXEiOjEwMDEsInRzIjoiMjAyNS0wNS0zMVQyMzo1OTowMFoiLCJyIjpbeyJuIjoxMDAxMDEsIm0iOiIwMDAwMTIzNDU2NzgiLCJwIjoiMDAwMTAwMDAiLCJ0IjoiMjAyNS0wNS0zMVQyMzo0NTowMFoiLCJ2YWwiOiIxMjM0NS42NyIsInUiOiJrV2giLCJxIjpbXX1dfQ.t_oYFbAEzZGJUgBPeVLEqrXfTbexjXgok0KHbdmS8p8";

    /// <summary>truncated-signature: The signature lost its last three characters (30 bytes left).</summary>
    public const string TruncatedSignature = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoxLCJrIjoidXAiLCJndyI6Imd3LTAwMDEiLCJzZXEiOjEwMDEsInRzIjoiMjAyNS0wNS0zMVQyMzo1OTowMFoiLCJyIjpbeyJuIjoxMDAxMDEsIm0iOiIwMDAwMTIzNDU2NzgiLCJwIjoiMDAwMTAwMDAiLCJ0IjoiMjAyNS0wNS0zMVQyMzo0NTowMFoiLCJ2YWwiOiIxMjM0NS42NyIsInUiOiJrV2giLCJxIjpbXX1dfQ.t_oYFbAEzZGJUgBPeVLEqrXfTbexjXgok0KHbdmS";

    /// <summary>alg-none: Unsecured JWS (alg none, empty signature).</summary>
    public const string AlgNone = "eyJhbGciOiJub25lIiwia2lkIjoiZ3ctMDAwMS4xIn0.eyJ2IjoxLCJrIjoidXAiLCJndyI6Imd3LTAwMDEiLCJzZXEiOjEwMDEsInRzIjoiMjAyNS0wNS0zMVQyMzo1OTowMFoiLCJyIjpbeyJuIjoxMDAxMDEsIm0iOiIwMDAwMTIzNDU2NzgiLCJwIjoiMDAwMTAwMDAiLCJ0IjoiMjAyNS0wNS0zMVQyMzo0NTowMFoiLCJ2YWwiOiIxMjM0NS42NyIsInUiOiJrV2giLCJxIjpbXX1dfQ.";

    /// <summary>expired-command: A command whose expiry passed one second before "now".</summary>
    public const string ExpiredCommand = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoxLCJrIjoiZG93biIsImd3IjoiZ3ctMDAwMSIsInNlcSI6MTksInRzIjoiMjAyNS0wNS0zMVQyMzo1NDo1OVoiLCJleHBpcmVzIjoiMjAyNS0wNS0zMVQyMzo1OTo1OVoiLCJuYW1lIjoicG9sbC1ub3ciLCJhcmdzIjp7Im1ldGVyIjoiMDAwMDEyMzQ1Njc4In19.htmfQ9_ptGx9gfO9On7Ya1i-BPAoukmCpyUiq4aKoow";

    /// <summary>topic-of-another-gateway: A valid packet of gw-0001 republished on gw-0002's topic.</summary>
    public const string TopicOfAnotherGateway = "eyJhbGciOiJIUzI1NiIsImtpZCI6Imd3LTAwMDEuMSJ9.eyJ2IjoxLCJrIjoidXAiLCJndyI6Imd3LTAwMDEiLCJzZXEiOjEwMDEsInRzIjoiMjAyNS0wNS0zMVQyMzo1OTowMFoiLCJyIjpbeyJuIjoxMDAxMDEsIm0iOiIwMDAwMTIzNDU2NzgiLCJwIjoiMDAwMTAwMDAiLCJ0IjoiMjAyNS0wNS0zMVQyMzo0NTowMFoiLCJ2YWwiOiIxMjM0NS42NyIsInUiOiJrV2giLCJxIjpbXX1dfQ.t_oYFbAEzZGJUgBPeVLEqrXfTbexjXgok0KHbdmS8p8";
}
