namespace Observatoire.Server.Aggregates;

/// <summary>
/// A cache holding at most a fixed number of entries, evicting the least recently used. Each value is computed
/// once even when several callers ask for it at the same time.
/// </summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _capacity;
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, Lazy<TValue> Value)>> _entries = [];
    private readonly LinkedList<(TKey Key, Lazy<TValue> Value)> _order = new();
    private readonly Lock _lock = new();
    private readonly Action<TValue>? _evicted;

    /// <param name="capacity">Entries kept.</param>
    /// <param name="evicted">Told of each value dropped to make room (once it was created).</param>
    public LruCache(int capacity, Action<TValue>? evicted = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _evicted = evicted;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Whether the key is cached (a hit for the next <see cref="GetOrAdd"/>, unless it is evicted meanwhile).</summary>
    public bool ContainsKey(TKey key)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(key);
        }
    }

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        Lazy<TValue> value;
        List<Lazy<TValue>> dropped = [];
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
            }
            else
            {
                value = new Lazy<TValue>(() => create(key), LazyThreadSafetyMode.ExecutionAndPublication);
                _entries[key] = _order.AddFirst((key, value));
                while (_entries.Count > _capacity)
                {
                    dropped.Add(_order.Last!.Value.Value);
                    _entries.Remove(_order.Last!.Value.Key);
                    _order.RemoveLast();
                }
            }
        }

        foreach (var gone in dropped.Where(d => d.IsValueCreated))
        {
            _evicted?.Invoke(gone.Value);
        }

        return value.Value;
    }

    /// <summary>Drops every entry the predicate selects (e.g. those of an older cube version).</summary>
    public void RemoveWhere(Func<TKey, bool> stale)
    {
        lock (_lock)
        {
            for (var node = _order.First; node is not null;)
            {
                var next = node.Next;
                if (stale(node.Value.Key))
                {
                    _entries.Remove(node.Value.Key);
                    _order.Remove(node);
                }

                node = next;
            }
        }
    }
}
