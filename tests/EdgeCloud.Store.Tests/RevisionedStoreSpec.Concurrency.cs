using System.Collections.Concurrent;

namespace EdgeCloud.Store.Tests;

public abstract partial class RevisionedStoreSpec
{
    [Fact]
    public async Task Racing_cas_writers_lose_no_update_and_every_watcher_sees_the_same_sequence()
    {
        const int writers = 32;
        const int incrementsPerWriter = 25;
        string[] keys = ["/race/0", "/race/1", "/race/2"];
        foreach (var key in keys)
        {
            await Store.CreateAsync(Cluster, key, "0".Bytes());
        }

        var start = await Store.GetRevisionAsync(Cluster);
        var watchers = new List<StoreWatch>();
        for (var i = 0; i < 3; i++)
        {
            watchers.Add(await Store.WatchAsync(Cluster, "/race/", start));
        }

        var applied = new ConcurrentBag<long>();
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var done = 0; done < incrementsPerWriter;)
            {
                var key = keys[random.Next(keys.Length)];
                var current = (await Store.GetAsync(Cluster, key)).Item!;
                var next = int.Parse(current.Value.Text(), System.Globalization.CultureInfo.InvariantCulture) + 1;
                var result = await Store.UpdateAsync(Cluster, key, $"{next}".Bytes(), current.ModRevision);
                if (result.Succeeded)
                {
                    applied.Add(result.Revision);
                    done++;
                }
                else
                {
                    Assert.Equal(WriteStatus.Conflict, result.Status);
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));

        // No lost update: the counters add up to the number of successful compare-and-swaps.
        var total = 0;
        foreach (var key in keys)
        {
            total += int.Parse((await Store.GetAsync(Cluster, key)).Item!.Value.Text(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(writers * incrementsPerWriter, total);
        // Each success took its own revision, with no gaps and no reuse.
        var head = await Store.GetRevisionAsync(Cluster);
        Assert.Equal(Enumerable.Range((int)start + 1, writers * incrementsPerWriter).Select(i => (long)i), applied.Order());
        Assert.Equal(start + (writers * incrementsPerWriter), head);

        List<WatchEvent>? reference = null;
        foreach (var watcher in watchers)
        {
            var seen = await watcher.TakeAsync(writers * incrementsPerWriter);
            Assert.Equal(applied.Order(), seen.Select(e => e.Revision));
            if (reference is null)
            {
                reference = seen;
            }
            else
            {
                Assert.Equal(reference.Select(e => (e.Key, e.Value.Text())), seen.Select(e => (e.Key, e.Value.Text())));
            }

            // Each update's previous value is the value one below it: the counter never skips or repeats.
            Assert.All(seen, e => Assert.Equal(int.Parse(e.PrevValue.Text(), System.Globalization.CultureInfo.InvariantCulture) + 1, int.Parse(e.Value.Text(), System.Globalization.CultureInfo.InvariantCulture)));
            await watcher.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_creates_of_one_key_have_exactly_one_winner()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => Store.CreateAsync(Cluster, "/lock", $"{i}".Bytes()))));
        Assert.Single(results, r => r.Status == WriteStatus.Applied);
        Assert.Equal(31, results.Count(r => r.Status == WriteStatus.AlreadyExists));
        Assert.Equal(1, await Store.GetRevisionAsync(Cluster));
    }
}
