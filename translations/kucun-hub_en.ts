<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>kucun::AdminLogModel</name>
    <message>
        <source>(the hub&apos;s window)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::AdminLogPanel</name>
    <message>
        <source>&amp;Older</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by role, address, action, target or result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The admin log could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) shown</source>
        <translation>
            <numerusform>%n action shown</numerusform>
            <numerusform>%n actions shown</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kucun::AuditHistoryModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payload</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::ChangeGuard</name>
    <message>
        <source>Read-only: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the window was started with --read-only</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::ChannelsModel</name>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscribers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epoch %1, shared in Redis by every hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epoch %1, this hub&apos;s own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>local</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stream</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::ClientsModel</name>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::ConnectDialog</name>
    <message>
        <source>&amp;Remember the key in the system keyring</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HUB_ADMIN_KEY or HUB_VIEWER_KEY of that hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shop box</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key cannot be kept (%1): it is asked for each time, and never written to a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a hub&apos;s address: expected http://host:port or https://host:port.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::ConnectionsPanel</name>
    <message>
        <source>&amp;Disconnect client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected WebSocket client %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not disconnect %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket client %1 had already gone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::DemoFaultsDialog</name>
    <message>
        <source>Demo faults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the demo misbehave and watch the cache&apos;s guards in the Overview and Flow panels: single-flight loads, lock waits, null hits, degraded mode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every load of the demo&apos;s reads takes this long: loads in progress pile up, and the readers of one key wait for its one load.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow loaders:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This share of the demo&apos;s loads fails: nothing is cached, the readers get the error, the next read tries again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failing loaders:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> readers</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>This many readers miss one key at the same moment, while another process holds its lock and loads it: the guards make one loader call of it. At once, then every %n seconds.</source>
        <translation>
            <numerusform>This many readers miss one key at the same moment, while another process holds its lock and loads it: the guards make one loader call of it. At once, then every second.</numerusform>
            <numerusform>This many readers miss one key at the same moment, while another process holds its lock and loads it: the guards make one loader call of it. At once, then every %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Stampede:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> events/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stock changes on top of the demo&apos;s traffic, each a cascade of invalidations and a WebSocket message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Burst:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cut the hub&apos;s link to Redis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hub&apos;s command and subscriber connections close and stay closed until this is unticked: it serves from memory (degraded) meanwhile, as in a real outage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This hub runs on its embedded engine: it has no Redis link to cut.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last stampede on %1: readers missing at once %2, loader calls %3, answered %4, failed %5, most sharing one load %6, lock waits %7, %8 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::EventSchema</name>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variant id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Old quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::EventStreamModel</name>
    <message>
        <source>accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::EventsPanel</name>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by channel, type or text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an event to see its JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected: %1

</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to WebSocket channel %1

</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Older</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the events stored in the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The audit log could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stored cut: the first %1 of %2 bytes

</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;play…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport selection…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1× pace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as fast as possible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only the hub of this window records and replays; an attached hub does on its own box (kucun-hub --record, --replay).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write every event the hub handles to a file (JSON lines)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the selected events to a file that Replay takes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a recording into the hub again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record events to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recordings (*.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not recording: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replay a recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Replaying %n message(s)</source>
        <translation>
            <numerusform>Replaying %n message</numerusform>
            <numerusform>Replaying %n messages</numerusform>
        </translation>
    </message>
    <message>
        <source>Not replayed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the selected events</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n event(s)</source>
        <translation>
            <numerusform>Exported %n event</numerusform>
            <numerusform>Exported %n events</numerusform>
        </translation>
    </message>
    <message>
        <source>Not exported: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no events are selected</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::FlowModel</name>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per second</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::FlowPanel</name>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cache only</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>→ %1 (%n client(s))</source>
        <translation>
            <numerusform>→ %1 (%n client)</numerusform>
            <numerusform>→ %1 (%n clients)</numerusform>
        </translation>
    </message>
    <message>
        <source>loading here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loading here, holding the lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting: another process holds the lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting callers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where it stands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an event to see what it did.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loads in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 traced events; %2 drawn one by one, the rest in the rates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traces are off on this hub (HUB_EVENT_TRACE=off): the diagram has nothing to draw.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cache&apos;s guards since the hub started: misses that waited for a load of the same key instead of loading again (single-flight), loads left to another process holding the key&apos;s lock, reads answered by a cached &quot;does not exist&quot;, and loads that failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::FlowView</name>
    <message>
        <source>No events yet. Publish one, start the demo, or wait for the site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ws: pass-through</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::GuardsText</name>
    <message>
        <source>degraded: the Redis link is cut (a demo fault), serving from memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>degraded: Redis is unavailable, serving from memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guards: shared loads %1 · lock waits %2 · null hits %3 · failed loads %4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::HotKeysModel</name>
    <message>
        <source>Counted since the key entered the list; up to %1 of these may belong to keys it replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accesses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Misses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::HotKeysPanel</name>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; 1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; 5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; 30 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; 2 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt; 1 day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>≥ 1 day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TTLs written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Redis-protocol front is off (RESP_PORT=off, or REDIS_URL is set): the keys of a site&apos;s own Redis are not seen here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys the site&apos;s Redis clients read and write through the hub: %1 reads, %2 writes, %3 loads (a miss filled within a second). The list keeps the most used keys in bounded memory.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::HubAttachment</name>
    <message>
        <source>⚠ Not encrypted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;The certificate of &lt;b&gt;%1&lt;/b&gt; is not trusted: %2.&lt;/p&gt;&lt;p&gt;Issued to: %3&lt;br&gt;Issued by: %4&lt;br&gt;Valid: %5 to %6&lt;br&gt;SHA-256: %7&lt;/p&gt;&lt;p&gt;Trust only a certificate you know to be the hub&apos;s own (compare the SHA-256 with &lt;code&gt;openssl x509 -noout -fingerprint -sha256 -in&lt;/code&gt; its certificate file). Trust this certificate for this hub from now on?&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Untrusted certificate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::HubKeyring</name>
    <message>
        <source>no keyring service is running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keyring refused access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keyring failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::HubSettingsModel</name>
    <message>
        <source>Redis command connections, 1-64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key namespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket bind address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket port; 0 = pick a free one and print it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allowed browser origins, comma separated; * = any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HS256 secret for client tokens (at least 32 bytes); empty = no auth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder (audit log, history)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory engine size limit in MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>UI language: en or zh_CN; empty = system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event routing table (JSON); empty = built-in table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>command line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log size limit in rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log age limit in days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most WebSocket clients at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data queued to one WebSocket client before it is cut, in MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit log size limit in MiB (database file and WAL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory for channel history over all channels, in MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most WebSocket channels keeping history at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time a WebSocket handshake may take, in milliseconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most unfinished WebSocket handshakes at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queued to a WebSocket client before it presents its token, in KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP port (API, metrics, health); 0 = pick a free one; off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP bind address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Admin API key (at least 16 bytes); empty = API for loopback only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viewer API key for read-only calls (at least 16 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS certificate chain (PEM) for wss:// and https://; empty = plain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS private key (PEM) of the certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP API writes per second per key; 0 = no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis-protocol port of the embedded engine; 0 = pick a free one; off (always off with REDIS_URL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis-protocol bind address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password Redis-protocol clients must AUTH with; empty = none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel history with Redis: shared by every hub (in Redis) or local to each hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis URL redis://[user:pass@]host[:port][/db] or redis+sentinel://host:26379[,host:26379…]/master[/db]; empty = embedded engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis Stream of reliable events the hub consumes (with Redis); empty = none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep what each event did (its causal trace) with its audit row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One address&apos;s share of the unfinished WebSocket handshakes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::InvalidatePanel</name>
    <message>
        <source>&amp;Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Invalidate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Namespace pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>products:42, or products:list: / inventory:*</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalidate by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tag or pattern:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a tag or a pattern.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The engine is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) would be invalidated.</source>
        <translation>
            <numerusform>%n key would be invalidated.</numerusform>
            <numerusform>%n keys would be invalidated.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>Invalidate</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Invalidate tag %1 (%n key(s))?</source>
        <translation>
            <numerusform>Invalidate tag %1 (%n key)?</numerusform>
            <numerusform>Invalidate tag %1 (%n keys)?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Invalidate pattern %1 (%n key(s))?</source>
        <translation>
            <numerusform>Invalidate pattern %1 (%n key)?</numerusform>
            <numerusform>Invalidate pattern %1 (%n keys)?</numerusform>
        </translation>
    </message>
    <message>
        <source>tag %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pattern %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Invalidated %1: %n key(s) removed</source>
        <translation>
            <numerusform>Invalidated %1: %n key removed</numerusform>
            <numerusform>Invalidated %1: %n keys removed</numerusform>
        </translation>
    </message>
    <message>
        <source>Invalidating %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh &amp;tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The tags could not be listed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::KeySegmentsModel</name>
    <message>
        <source>Segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Misses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::KeysModel</name>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s)</source>
        <translation>
            <numerusform>%n key</numerusform>
            <numerusform>%n keys</numerusform>
        </translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TTL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::KeysPanel</name>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set &amp;TTL…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter: a glob such as products:* (empty: every key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a key to see its value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no value: the key is gone or caches a &quot;does not exist&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not delete %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted key %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set TTL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New TTL of %1 in seconds (0: no expiry):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not set the TTL of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the TTL of %1 to %2 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::MainWindow</name>
    <message>
        <source>Kucun Hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The hub could not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Kucun Hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine: failed (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket: not listening</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Clients: %n</source>
        <translation>
            <numerusform>Clients: %n</numerusform>
            <numerusform>Clients: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>About Kucun Hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Kucun Hub %1&lt;/h3&gt;&lt;p&gt;The cache and realtime hub of a warehouse site: cache engine, event bus and WebSocket hub in one program.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Invalidate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clients &amp;&amp; channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Demo traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generate warehouse traffic through the engine: reads, stock changes, orders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ops/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hit rate: –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show Kucun Hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hit rate: %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Kucun Hub: %1, %n client(s)</source>
        <translation>
            <numerusform>Kucun Hub: %1, %n client</numerusform>
            <numerusform>Kucun Hub: %1, %n clients</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Hot keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kucun Hub — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Admin log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect to hub…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub %1: not attached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub %1: connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub %1: reconnecting… (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Flow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Faults…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow and failing loaders, a stampede, a burst, the Redis link cut: watch the cache&apos;s guards at work</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Faults (%n on)…</source>
        <translation>
            <numerusform>Faults (%n on)…</numerusform>
            <numerusform>Faults (%n on)…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kucun::MetricsHistoryModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hit rate (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache operations/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket messages/s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::OverviewPanel</name>
    <message>
        <source>Engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not configured (embedded engine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hits / misses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalidations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache operations/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ops/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>events/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WebSocket messages/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>messages/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2:%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 keys)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis subscriber cut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How often Redis closed the hub&apos;s subscriber connection, usually after a burst over its client-output-buffer-limit for pubsub. Events published on Redis until the hub subscribed again were lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (events were lost)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server the hub talks to; through Redis Sentinel, the master the sentinels named, and how many of them answered when last asked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>master %1, %2 of %3 sentinels answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event stream lag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With a reliable event stream (HUB_EVENT_STREAM): entries not yet read by this hub, and read but not yet acknowledged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 unread, %2 pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared loads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Misses that waited for a load of the same key already in progress instead of loading again (single-flight), and the loads in progress now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock waits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loads left to another process that held the key&apos;s lock (getOrSetWithLock): it loaded, this hub read what it stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Null hits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reads answered by a cached &quot;does not exist&quot; instead of asking the database again (the penetration guard).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed loads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loads that failed: nothing was cached, the next read tries again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 loading now)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::PublishPanel</name>
    <message>
        <source>raw ws:&lt;channel&gt; message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inventory (sent on ws:inventory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any JSON, e.g. {&quot;message&quot;:&quot;hello&quot;}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A channel name is 1-64 of A-Z a-z 0-9 _ . : -</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is not JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: the engine is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one of these</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending on %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::RemoteHub</name>
    <message>
        <source>the hub has said nothing for %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is plain http:// on another machine: the key and everything the hub shows cross the network unencrypted. Give the hub HUB_TLS_CERT and HUB_TLS_KEY and attach with https://.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate of %1 is not trusted: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the hub refused the key: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the hub closed the link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attached with the viewer key, which may look but not change anything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP status %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the hub&apos;s answer was larger than %1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::SettingsPanel</name>
    <message>
        <source>(not set: default, environment or flag)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save to the settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings file %1 (read at start)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing saved. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. The hub reads the file at start: restart it to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings saved to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save and &amp;apply now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarts the engine with the saved settings: WebSocket clients are disconnected and reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved, not applied: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved and applied: the engine restarts with these settings.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::TagsModel</name>
    <message>
        <source>Tag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>kucun::TraceTimeline</name>
    <message>
        <source>+%1 µs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reliable stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the HTTP API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a Redis-protocol client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a WebSocket client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a window&apos;s Publish panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a replayed recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>received on %1 from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no routing rule (passed through)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rule %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>namespace %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tag %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: failed (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n key(s) removed</source>
        <translation>
            <numerusform>%1: %n key removed</numerusform>
            <numerusform>%1: %n keys removed</numerusform>
        </translation>
    </message>
    <message>
        <source>handed to WebSocket channel %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handed to the shared stream of channel %1 (Redis stamps it; every hub delivers it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>channel %1, offset %2: written to %n client(s)</source>
        <translation>
            <numerusform>channel %1, offset %2: written to %n client</numerusform>
            <numerusform>channel %1, offset %2: written to %n clients</numerusform>
        </translation>
    </message>
    <message>
        <source>skipped %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n connected client(s) not subscribed</source>
        <translation>
            <numerusform>%n connected client not subscribed</numerusform>
            <numerusform>%n connected clients not subscribed</numerusform>
        </translation>
    </message>
    <message>
        <source>(written before every answer came: the hub stopped or an answer was late)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no routing rule matched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cascade done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
