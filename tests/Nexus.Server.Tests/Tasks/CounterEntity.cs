using Microsoft.DurableTask.Entities;

namespace Nexus.Server.Tests.Tasks;

/// <summary>A counter: the simplest state that shows lost or doubled operations.</summary>
public sealed class CounterEntity : TaskEntity<int>
{
    public void Add(int amount) => State += amount;
}
