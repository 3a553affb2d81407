using Generative.IO;

namespace Generative.Tests.IO;

public class Crc32Tests
{
    [Fact]
    public void Compute_CheckString_MatchesPublishedCheckValue()
    {
        // The standard CRC-32 check value: CRC of ASCII "123456789" is 0xCBF43926 (published with the algorithm's
        // parameters in the CRC catalogue, e.g. Greg Cook's "Catalogue of parametrised CRC algorithms", CRC-32/ISO-HDLC).
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }
}
