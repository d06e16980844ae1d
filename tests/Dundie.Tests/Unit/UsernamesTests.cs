using Dundie.Users;

namespace Dundie.Tests.Unit;

public sealed class UsernamesTests
{
    [Theory]
    [InlineData("Michael Scott", "michael-scott")]
    [InlineData("  Dwight K. Schrute  ", "dwight-k-schrute")]
    [InlineData("José Ñúñez", "jose-nunez")]
    [InlineData("Pam_Beesly!!", "pam-beesly")]
    [InlineData("Creed", "creed")]
    public void FromName_DisplayName_GivesSlug(string name, string expected) =>
        Assert.Equal(expected, Usernames.FromName(name));

    [Fact]
    public void FromName_VeryLongName_IsCutToMaxLength() =>
        Assert.True(Usernames.FromName(new string('a', 200)).Length <= Usernames.MaxLength);

    [Theory]
    [InlineData("michael-scott", true)]
    [InlineData("jim.halpert_2", true)]
    [InlineData("has space", false)]
    [InlineData("-leading", false)]
    [InlineData("slash/in", false)]
    public void IsValid_Username_AcceptsOnlyUrlSafe(string username, bool valid) =>
        Assert.Equal(valid, Usernames.IsValid(username));
}
