using Nexus.Server.Durable;
using Nexus.Server.Tests.Tasks;

namespace Nexus.Server.Tests;

public sealed class DurableTaskCatalogTests
{
    [Fact]
    public void AddEntity_SameNameInOtherCase_Throws()
    {
        var catalog = new DurableTaskCatalog().AddEntity<CounterEntity>();

        Assert.Throws<ArgumentException>(() => catalog.AddEntity("counterentity", () => new CounterEntity()));
    }

    [Fact]
    public void FindEntity_LowerCasedName_FindsRegisteredClass()
    {
        var catalog = new DurableTaskCatalog().AddEntity<CounterEntity>();

        Assert.IsType<CounterEntity>(catalog.FindEntity("counterentity")?.Invoke());
        Assert.Null(catalog.FindEntity("other"));
    }
}
