namespace TestLocks.Redis;

/// <summary>
/// The Lua scripts of a Redis lock, one round trip each. They keep DistributedLock.Redis's key layout and values
/// (<c>NAME.writer</c> holds the writer's id, or <c>ID_WRITERWAITING</c> while a writer waits for readers to leave;
/// <c>NAME.readers</c> is the set of reader ids; both expire with the lease), so a program that uses
/// DistributedLock's <c>RedisDistributedReaderWriterLock</c> directly shares the lock. What TestLocks adds, inside the
/// same scripts: the holder record (<c>NAME.holder</c>) written by the acquire, a message on the release channel
/// (<c>NAME.released</c>, and the next writer's own <c>NAME.released.HOST_PID_</c>, see <see cref="ReleaseChannels"/>)
/// published by the release so waiters wake at once, and, when an acquire fails, how long
/// until what blocks it expires, so a waiter whose holder died wakes when the lease ends.
/// </summary>
internal static class RedisScripts
{
    /// <summary>What an acquire script returns on success. Otherwise it returns the milliseconds until the key that
    /// blocks it expires, or <see cref="BlockedWithoutExpiry"/>.</summary>
    public const long Acquired = -1;

    /// <summary>What blocks the acquire has no expiry (not a lock of ours or DistributedLock's).</summary>
    public const long BlockedWithoutExpiry = -2;

    /// <summary>The suffix DistributedLock gives a writer's id while it waits for readers to leave.</summary>
    public const string WriterWaitingSuffix = "_WRITERWAITING";

    // KEYS: writer, readers, holder record, fencing counter, queue, waiters, queued records, epoch. ARGV: id, lease ms,
    // record, record lifetime ms, take the waiting mark (1/0), queue entry lifetime ms (0: a single try, which does not
    // queue), release channel.
    // Waiting writers queue in arrival order (queue: a sorted set of ids by arrival time; waiters: a hash of each id's
    // deadline, renewed by each try; an entry is live while its deadline has not passed and its process listens on its
    // release channel (Live), so a killed waiter's entry ends with its connection and the queue moves on): a free lock
    // goes only to the first live writer in the queue, and a release wakes only that writer (ReleaseWrite), not every
    // waiter; the release itself gives the lock to that writer (Grant), whose record waits in the queued records. An
    // acquire that finds the lock already given to it (its id in the writer key) has it: renewed, with the token drawn
    // then. DistributedLock's write script, plus: the waiting mark is taken in the same script when asked
    // (DistributedLock takes it with a SET NX of its own), the fencing token drawn and the record (with the token)
    // written on success, which returns {-1, token}; on failure {ms until the blocker expires (or -2), 1 when a release
    // message will come (Publishes), else 0}; and no grant within a lease of the server's start (RestartGrace).
    // The fencing token is one more than the last (kept in the counter), and at least the server's clock (TIME) in
    // microseconds. The clock floor keeps tokens growing when the counter is gone: a server restarted without
    // persistence, restored from an older snapshot, or a counter expired after a day unused. Every token was at most its
    // own time of issue unless acquires came faster than one a microsecond (a lock hands over a few thousand times a
    // second at most), so a token drawn later from the clock alone is greater than all of them, as long as the server's
    // clock does not step back across the restart. Tokens stay below 2^53 (until the year 2255), where Lua's numbers
    // are exact. redis.replicate_commands: TIME before a write needs it on Redis 3.2 to 4 (later servers always replicate
    // effects).
    public const string AcquireWrite = """
        if redis.replicate_commands then redis.replicate_commands() end
        local now = redis.call('time')
        """ + "\n" + RestartGrace + "\n" + Live + "\n" + Publishes + "\n" + Grant + "\n" + """
        if redis.call('get', KEYS[1]) == ARGV[1] then
          redis.call('pexpire', KEYS[1], ARGV[2])
          return {-1, redis.call('get', KEYS[4]) or '0'}
        end
        local head = false
        while true do
          local h = redis.call('zrange', KEYS[5], 0, 0)[1]
          if not h then break end
          if live(h, KEYS[6], ARGV[7], ARGV[1]) then head = h break end
          redis.call('zrem', KEYS[5], h)
          redis.call('hdel', KEYS[6], h)
          redis.call('hdel', KEYS[7], h)
        end
        local p = 0
        local w = redis.call('get', KEYS[1])
        local t
        if (w == false or w == ARGV[1] .. '_WRITERWAITING') and (head == false or head == ARGV[1]) then
          if redis.call('scard', KEYS[2]) == 0 then
            if head then
              redis.call('zrem', KEYS[5], ARGV[1])
              redis.call('hdel', KEYS[6], ARGV[1])
              redis.call('hdel', KEYS[7], ARGV[1])
            end
            return {-1, grant(ARGV[1], ARGV[3], KEYS[1], KEYS[3], KEYS[4], ARGV[2], ARGV[4])}
          end
          if w ~= false then
            redis.call('pexpire', KEYS[1], ARGV[2])
          elseif ARGV[5] == '1' then
            redis.call('set', KEYS[1], ARGV[1] .. '_WRITERWAITING', 'px', ARGV[2])
          end
          t = redis.call('pttl', KEYS[2])
          p = 1
          for _, r in ipairs(redis.call('smembers', KEYS[2])) do
            if not publishes(r) then p = 0 break end
          end
        elseif w == false or w == ARGV[1] .. '_WRITERWAITING' then
          t = (tonumber(redis.call('hget', KEYS[6], head)) or nowms) - nowms
        else
          t = redis.call('pttl', KEYS[1])
          if publishes(w) then p = 1 end
        end
        local ttl = tonumber(ARGV[6])
        if ttl > 0 then
          redis.call('zadd', KEYS[5], 'NX', string.format('%d', tonumber(now[1]) * 1000000 + tonumber(now[2])), ARGV[1])
          redis.call('hset', KEYS[6], ARGV[1], string.format('%d', nowms + ttl))
          redis.call('hset', KEYS[7], ARGV[1], ARGV[3])
          redis.call('pexpire', KEYS[5], ttl)
          redis.call('pexpire', KEYS[6], ttl)
          redis.call('pexpire', KEYS[7], ttl)
        end
        if t < 0 then t = -2 end
        return {t, p}
        """;

    /// <summary>
    /// Lua: <c>grant(id, record, writer, holder, fence, lease, lifetime)</c> (with <c>now</c> the server's TIME; the lease
    /// and the record's lifetime in ms): gives the lock to <c>id</c>, draws its fencing token, writes its record with
    /// the token, and returns the token.
    /// </summary>
    private const string Grant = """
        local function grant(id, record, writer, holder, fence, lease, lifetime)
          redis.call('set', writer, id, 'px', lease)
          local token = tonumber(now[1]) * 1000000 + tonumber(now[2])
          local last = tonumber(redis.call('get', fence) or '0') or 0
          if last >= token then token = last + 1 end
          token = string.format('%d', token)
          redis.call('set', fence, token, 'px', lifetime)
          redis.call('set', holder, string.sub(record, 1, -2) .. ',"token":' .. token .. '}', 'px', lifetime)
          return token
        end
        """;

    /// <summary>What the last part of a lock id of this version begins with (<c>HOST_PID_tl</c> and 32 hex digits): a
    /// holder whose id has it publishes the next waiter's id on its process's channel when it releases (WakeNext), so
    /// a writer waiting behind it need not try again at every busy_wait. DistributedLock's ids (<c>HOST_PID_</c> and
    /// 32 hex digits), and TestLocks 1.0's, have no such mark: their holders publish nothing to a writer's channel.</summary>
    public const string PublishingIdMark = "tl";

    /// <summary>
    /// Lua: <c>publishes(id)</c>, whether the holder (or waiting writer) <c>id</c> publishes when it releases (or leaves):
    /// its id has <see cref="PublishingIdMark"/>.
    /// </summary>
    private const string Publishes = """
        local function publishes(id)
          return string.find(id, '_tl%x+$') ~= nil or string.find(id, '_tl%x+_WRITERWAITING$') ~= nil
        end
        """;

    /// <summary>
    /// Lua: <c>live(id, waiters, channel, me)</c>, whether the queue entry <c>id</c> still counts (with <c>nowms</c> the
    /// server's time in ms): its deadline in the hash <c>waiters</c> has not passed, and its process still listens on its
    /// release channel (<c>channel</c>, a dot, the id up to its last '_'; <see cref="ReleaseChannels.WriterChannelOf"/>),
    /// which it subscribed to before it queued. A killed waiter's connection closes, the server drops its subscription,
    /// and its entry ends at once; the deadline (a lease at least, <see cref="RedisOptions.QueueEntryMilliseconds"/>)
    /// is for a waiter that is stopped or cut off, whose connection the server still keeps. <c>me</c>, the id of the
    /// acquire that asks, counts while its deadline holds (it runs; its subscription may be coming back after a
    /// reconnect).
    /// </summary>
    private const string Live = """
        local function live(id, waiters, channel, me)
          if (tonumber(redis.call('hget', waiters, id) or '0') or 0) <= nowms then return false end
          if id == me then return true end
          local process = string.match(id, '^(.*_)[^_]*$')
          return process == nil or redis.call('pubsub', 'numsub', channel .. '.' .. process)[2] > 0
        end
        """;

    /// <summary>
    /// Lua that sets <c>nextid</c> to the id of the first waiting writer whose entry is still alive, or '' when none is
    /// (KEYS[2] the queue, KEYS[3] the entries' deadlines). A release publishes it: only that waiter's process wakes.
    /// </summary>
    private const string NextWaiter = """
        local now = redis.call('time')
        local nowms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
        """ + "\n" + Live + "\n" + """
        local nextid = ''
        for _, h in ipairs(redis.call('zrange', KEYS[2], 0, 15)) do
          if live(h, KEYS[3], ARGV[2], false) then nextid = h break end
        end
        """;

    /// <summary>
    /// Lua, after <see cref="NextWaiter"/> (ARGV[2] the release channel): publishes <c>nextid</c> on the channel of its
    /// process (the release channel, a dot and the id up to its last '_': <c>HOST_PID_</c>, see
    /// <see cref="ReleaseChannels.WriterChannelOf"/>), which only that process's waiting writers listen to, and on the
    /// release channel, which waiting readers (and TestLocks 1.0's writers) listen to. One waiting process wakes per
    /// release, not every one.
    /// </summary>
    private const string WakeNext = """
        if nextid ~= '' then
          local process = string.match(nextid, '^(.*_)[^_]*$')
          if process then redis.call('publish', ARGV[2] .. '.' .. process, nextid) end
        end
        redis.call('publish', ARGV[2], nextid)
        """;

    /// <summary>The key that marks since when this server (this database) keeps locks: see <see cref="RestartGrace"/>.</summary>
    public const string EpochKey = "testlocks:epoch";

    /// <summary>
    /// Lua, first in both acquire scripts (with <c>now</c> the server's TIME, KEYS[#KEYS] the epoch key, ARGV[2] the
    /// lease in ms): no lock is granted within one lease of the moment this server first saw a TestLocks acquire.
    /// </summary>
    /// <remarks>
    /// A server that restarted without persistence (or whose data was flushed) has forgotten every lock, while their
    /// holders may still run. A holder whose connection dropped counts its lock lost at once, but that news can come
    /// later than a waiter's next try; a holder behind a proxy that kept its connection learns it at its next renewal;
    /// and a holder paused meanwhile, only when its own lease clock runs out (at 90% of the lease from its last renewal,
    /// sent before the crash). So after a restart no lock is granted until one lease has passed: by then every holder
    /// from before knows it lost its lock. The first acquire finds the epoch key missing, writes the server's time in it
    /// (no expiry), and is told to come back in a lease. Waiters wait; a single try fails. A freshly started server pays
    /// the same wait once, since it cannot tell a first start from a restart: an operator who knows no lock was held
    /// (a Redis started for one CI job) skips it by setting the key first: <c>redis-cli SET testlocks:epoch 0</c>.
    /// </remarks>
    private const string RestartGrace = """
        local nowms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
        local epoch = redis.call('get', KEYS[#KEYS])
        if epoch == false then
          redis.call('set', KEYS[#KEYS], string.format('%d', nowms))
          return tonumber(ARGV[2])
        end
        local grace = (tonumber(epoch) or 0) + tonumber(ARGV[2]) - nowms
        if grace > 0 then return grace end
        """;

    // KEYS: writer, readers, holder record, epoch. ARGV: id, lease ms, record, record lifetime ms. DistributedLock's
    // read script, and no grant within a lease of the server's start (RestartGrace).
    public const string AcquireRead = """
        if redis.replicate_commands then redis.replicate_commands() end
        local now = redis.call('time')
        """ + "\n" + RestartGrace + "\n" + """
        if redis.call('exists', KEYS[1]) == 1 then
          local t = redis.call('pttl', KEYS[1])
          if t < 0 then return -2 end
          return t
        end
        redis.call('sadd', KEYS[2], ARGV[1])
        if redis.call('pttl', KEYS[2]) < tonumber(ARGV[2]) then
          redis.call('pexpire', KEYS[2], ARGV[2])
        end
        redis.call('set', KEYS[3], ARGV[3], 'px', ARGV[4])
        return -1
        """;

    // KEYS: writer. ARGV: id (or the waiting mark), lease ms. DistributedLock's mutex extend script.
    public const string ExtendWrite = """
        if redis.call('get', KEYS[1]) == ARGV[1] then
          return redis.call('pexpire', KEYS[1], ARGV[2])
        end
        return 0
        """;

    // KEYS: readers. ARGV: id, lease ms. DistributedLock's read extend script.
    public const string ExtendRead = """
        if redis.call('sismember', KEYS[1], ARGV[1]) == 0 then
          return 0
        end
        if redis.call('pttl', KEYS[1]) < tonumber(ARGV[2]) then
          redis.call('pexpire', KEYS[1], ARGV[2])
        end
        return 1
        """;

    // KEYS: writer, queue, waiters, queued records, readers, holder record, fencing counter. ARGV: id, release channel,
    // lease ms, record lifetime ms. DistributedLock's mutex release, then the lock goes at once to the next live waiting
    // writer (Grant, its record from the queued records), and the message tells its process (its id and fencing token on
    // its process's channel, see ReleaseChannels), which then holds the lock without a try of its own: one round trip
    // and one wake-up per handoff. With no writer queued, '' on the release channel (waiting readers wake).
    public const string ReleaseWrite = """
        if redis.replicate_commands then redis.replicate_commands() end
        if redis.call('get', KEYS[1]) == ARGV[1] then
          redis.call('del', KEYS[1])
        """ + "\n" + NextWaiter + "\n" + Grant + "\n" + """
          local record = nextid ~= '' and redis.call('hget', KEYS[4], nextid)
          if record and redis.call('scard', KEYS[5]) == 0 then
            local process = string.match(nextid, '^(.*_)[^_]*$')
            if process then
              redis.call('zrem', KEYS[2], nextid)
              redis.call('hdel', KEYS[3], nextid)
              redis.call('hdel', KEYS[4], nextid)
              local token = grant(nextid, record, KEYS[1], KEYS[6], KEYS[7], ARGV[3], ARGV[4])
              redis.call('publish', ARGV[2] .. '.' .. process, nextid .. ' ' .. token)
              redis.call('publish', ARGV[2], nextid)
              return 1
            end
          end
        """ + "\n" + WakeNext + "\n" + """
          return 1
        end
        return 0
        """;

    // KEYS: writer, queue, waiters, queued records. ARGV: id, release channel. A writer that stops waiting (timeout,
    // cancellation): leaves the queue, gives back its waiting mark, or the lock when a release gave it to the writer
    // before it knew, and wakes the next waiter if it was the first.
    public const string LeaveQueue = """
        if redis.replicate_commands then redis.replicate_commands() end
        local first = redis.call('zrange', KEYS[2], 0, 0)[1] == ARGV[1]
        redis.call('zrem', KEYS[2], ARGV[1])
        redis.call('hdel', KEYS[3], ARGV[1])
        redis.call('hdel', KEYS[4], ARGV[1])
        local w = redis.call('get', KEYS[1])
        if w == ARGV[1] .. '_WRITERWAITING' or w == ARGV[1] then
          redis.call('del', KEYS[1])
          w = false
          first = true
        end
        if first and w == false then
        """ + "\n" + NextWaiter + "\n" + WakeNext + "\n" + """
        end
        return 1
        """;

    // KEYS: readers, queue, waiters. ARGV: id, release channel. DistributedLock's read release, plus the message when the
    // last reader leaves: the next waiting writer's id, or ''.
    public const string ReleaseRead = """
        if redis.replicate_commands then redis.replicate_commands() end
        local removed = redis.call('srem', KEYS[1], ARGV[1])
        if removed == 1 and redis.call('scard', KEYS[1]) == 0 then
        """ + "\n" + NextWaiter + "\n" + WakeNext + "\n" + """
        end
        return removed
        """;
}
