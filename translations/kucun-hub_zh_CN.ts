<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>kucun::AdminLogModel</name>
    <message>
        <source>(the hub&apos;s window)</source>
        <translation>（中枢自己的窗口）</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>来源地址</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>kucun::AdminLogPanel</name>
    <message>
        <source>&amp;Older</source>
        <translation>更早(&amp;O)</translation>
    </message>
    <message>
        <source>Filter by role, address, action, target or result</source>
        <translation>按角色、地址、操作、对象或结果筛选</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>The admin log could not be read: %1</source>
        <translation>无法读取管理日志：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n action(s) shown</source>
        <translation>
            <numerusform>显示 %n 条操作</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kucun::AuditHistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>频道</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>内容</translation>
    </message>
</context>
<context>
    <name>kucun::ChangeGuard</name>
    <message>
        <source>Read-only: %1</source>
        <translation>只读：%1</translation>
    </message>
    <message>
        <source>the window was started with --read-only</source>
        <translation>窗口以 --read-only 启动</translation>
    </message>
</context>
<context>
    <name>kucun::ChannelsModel</name>
    <message>
        <source>Channel</source>
        <translation>频道</translation>
    </message>
    <message>
        <source>Subscribers</source>
        <translation>订阅者</translation>
    </message>
    <message>
        <source>Messages/s</source>
        <translation>消息/秒</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移量</translation>
    </message>
    <message>
        <source>Epoch %1, shared in Redis by every hub</source>
        <translation>纪元 %1，存于 Redis，所有中枢共享</translation>
    </message>
    <message>
        <source>Epoch %1, this hub&apos;s own</source>
        <translation>纪元 %1，本中枢独有</translation>
    </message>
    <message>
        <source>shared</source>
        <translation>共享</translation>
    </message>
    <message>
        <source>local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>消息流</translation>
    </message>
</context>
<context>
    <name>kucun::ClientsModel</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Subscriptions</source>
        <translation>订阅</translation>
    </message>
    <message>
        <source>In</source>
        <translation>收</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>发</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Connected since</source>
        <translation>连接时间</translation>
    </message>
</context>
<context>
    <name>kucun::ConnectDialog</name>
    <message>
        <source>&amp;Remember the key in the system keyring</source>
        <translation>在系统密钥环中记住密钥(&amp;R)</translation>
    </message>
    <message>
        <source>Connect to hub</source>
        <translation>连接到中枢</translation>
    </message>
    <message>
        <source>HUB_ADMIN_KEY or HUB_VIEWER_KEY of that hub</source>
        <translation>该中枢的 HUB_ADMIN_KEY 或 HUB_VIEWER_KEY</translation>
    </message>
    <message>
        <source>Shop box</source>
        <translation>门店主机</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>The key cannot be kept (%1): it is asked for each time, and never written to a file.</source>
        <translation>无法保存密钥（%1）：每次连接都会询问，且绝不写入文件。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a hub&apos;s address: expected http://host:port or https://host:port.</source>
        <translation>“%1”不是中枢地址：应为 http://主机:端口 或 https://主机:端口。</translation>
    </message>
</context>
<context>
    <name>kucun::ConnectionsPanel</name>
    <message>
        <source>&amp;Disconnect client</source>
        <translation>断开客户端(&amp;D)</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>频道</translation>
    </message>
    <message>
        <source>Disconnected WebSocket client %1</source>
        <translation>已断开 WebSocket 客户端 %1</translation>
    </message>
    <message>
        <source>Could not disconnect %1: %2</source>
        <translation>无法断开 %1：%2</translation>
    </message>
    <message>
        <source>WebSocket client %1 had already gone</source>
        <translation>WebSocket 客户端 %1 已经离开</translation>
    </message>
</context>
<context>
    <name>kucun::DemoFaultsDialog</name>
    <message>
        <source>Demo faults</source>
        <translation>演示故障</translation>
    </message>
    <message>
        <source>Make the demo misbehave and watch the cache&apos;s guards in the Overview and Flow panels: single-flight loads, lock waits, null hits, degraded mode.</source>
        <translation>让演示出故障，在“概览”和“流向”面板中观察缓存的防护机制：单飞加载、锁等待、空值命中、降级模式。</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>Every load of the demo&apos;s reads takes this long: loads in progress pile up, and the readers of one key wait for its one load.</source>
        <translation>演示读取的每次加载都耗时这么久：进行中的加载会堆积，同一个键的读者等待它唯一的一次加载。</translation>
    </message>
    <message>
        <source>Slow loaders:</source>
        <translation>慢加载器：</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>This share of the demo&apos;s loads fails: nothing is cached, the readers get the error, the next read tries again.</source>
        <translation>演示加载中有这么大比例会失败：不缓存任何内容，读者收到错误，下一次读取会重试。</translation>
    </message>
    <message>
        <source>Failing loaders:</source>
        <translation>失败的加载器：</translation>
    </message>
    <message>
        <source> readers</source>
        <translation> 个读者</translation>
    </message>
    <message numerus="yes">
        <source>This many readers miss one key at the same moment, while another process holds its lock and loads it: the guards make one loader call of it. At once, then every %n seconds.</source>
        <translation>
            <numerusform>这么多读者在同一时刻未命中同一个键，而另一个进程持有它的锁并在加载：防护机制只让加载器调用一次。立即发生一次，之后每 %n 秒一次。</numerusform>
        </translation>
    </message>
    <message>
        <source>Stampede:</source>
        <translation>缓存击穿：</translation>
    </message>
    <message>
        <source> events/s</source>
        <translation> 个事件/秒</translation>
    </message>
    <message>
        <source>Stock changes on top of the demo&apos;s traffic, each a cascade of invalidations and a WebSocket message.</source>
        <translation>在演示流量之外额外的库存变动，每个都会引发一连串失效和一条 WebSocket 消息。</translation>
    </message>
    <message>
        <source>Burst:</source>
        <translation>突发：</translation>
    </message>
    <message>
        <source>Cut the hub&apos;s link to Redis</source>
        <translation>切断中枢与 Redis 的连接</translation>
    </message>
    <message>
        <source>Redis:</source>
        <translation>Redis：</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>The hub&apos;s command and subscriber connections close and stay closed until this is unticked: it serves from memory (degraded) meanwhile, as in a real outage.</source>
        <translation>中枢的命令连接和订阅连接会关闭，直到取消勾选为止：期间它从内存提供服务（降级），与真实故障时一样。</translation>
    </message>
    <message>
        <source>This hub runs on its embedded engine: it has no Redis link to cut.</source>
        <translation>此中枢运行在内嵌引擎上：没有可切断的 Redis 连接。</translation>
    </message>
    <message>
        <source>Last stampede on %1: readers missing at once %2, loader calls %3, answered %4, failed %5, most sharing one load %6, lock waits %7, %8 s</source>
        <translation>最近一次击穿 %1：同时未命中的读者 %2，加载器调用 %3，得到应答 %4，失败 %5，共享同一次加载最多 %6，锁等待 %7，耗时 %8 秒</translation>
    </message>
</context>
<context>
    <name>kucun::EventSchema</name>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>命名空间</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Product id</source>
        <translation>商品编号</translation>
    </message>
    <message>
        <source>Variant id</source>
        <translation>规格编号</translation>
    </message>
    <message>
        <source>Old quantity</source>
        <translation>原数量</translation>
    </message>
    <message>
        <source>New quantity</source>
        <translation>新数量</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Order id</source>
        <translation>订单号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Previous status</source>
        <translation>原状态</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
</context>
<context>
    <name>kucun::EventStreamModel</name>
    <message>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>频道</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>kucun::EventsPanel</name>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Filter by channel, type or text</source>
        <translation>按频道、类型或文字筛选</translation>
    </message>
    <message>
        <source>Select an event to see its JSON.</source>
        <translation>选择一个事件以查看其 JSON。</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>继续(&amp;R)</translation>
    </message>
    <message>
        <source>Rejected: %1

</source>
        <translation>已拒绝：%1

</translation>
    </message>
    <message>
        <source>Sent to WebSocket channel %1

</source>
        <translation>已发送到 WebSocket 频道 %1

</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>历史(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Older</source>
        <translation>更早(&amp;O)</translation>
    </message>
    <message>
        <source>Show the events stored in the audit log</source>
        <translation>显示审计日志中保存的事件</translation>
    </message>
    <message>
        <source>The audit log could not be read: %1</source>
        <translation>无法读取审计日志：%1</translation>
    </message>
    <message>
        <source>%1

</source>
        <translation>%1

</translation>
    </message>
    <message>
        <source>Stored cut: the first %1 of %2 bytes

</source>
        <translation>存储时已截断：保留了 %2 字节中的前 %1 字节

</translation>
    </message>
    <message>
        <source>&amp;Record…</source>
        <translation>录制(&amp;R)…</translation>
    </message>
    <message>
        <source>Re&amp;play…</source>
        <translation>回放(&amp;P)…</translation>
    </message>
    <message>
        <source>E&amp;xport selection…</source>
        <translation>导出所选(&amp;X)…</translation>
    </message>
    <message>
        <source>%1× pace</source>
        <translation>%1 倍速</translation>
    </message>
    <message>
        <source>as fast as possible</source>
        <translation>尽可能快</translation>
    </message>
    <message>
        <source>Only the hub of this window records and replays; an attached hub does on its own box (kucun-hub --record, --replay).</source>
        <translation>只有本窗口自己的中枢可以录制和回放；已连接的远程中枢请在其所在机器上进行（kucun-hub --record、--replay）。</translation>
    </message>
    <message>
        <source>Write every event the hub handles to a file (JSON lines)</source>
        <translation>把中枢处理的每个事件写入文件（JSON 行）</translation>
    </message>
    <message>
        <source>Write the selected events to a file that Replay takes</source>
        <translation>把所选事件写入可供回放的文件</translation>
    </message>
    <message>
        <source>Send a recording into the hub again</source>
        <translation>把录制的事件重新发送到中枢</translation>
    </message>
    <message>
        <source>Record events to</source>
        <translation>把事件录制到</translation>
    </message>
    <message>
        <source>Recordings (*.jsonl);;All files (*)</source>
        <translation>录制文件 (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Not recording: %1</source>
        <translation>未录制：%1</translation>
    </message>
    <message>
        <source>Recording to %1</source>
        <translation>正在录制到 %1</translation>
    </message>
    <message>
        <source>Recording stopped</source>
        <translation>录制已停止</translation>
    </message>
    <message>
        <source>Recording: %1</source>
        <translation>录制：%1</translation>
    </message>
    <message>
        <source>Replay a recording</source>
        <translation>回放录制</translation>
    </message>
    <message numerus="yes">
        <source>Replaying %n message(s)</source>
        <translation>
            <numerusform>正在回放 %n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <source>Not replayed: %1</source>
        <translation>未回放：%1</translation>
    </message>
    <message>
        <source>Export the selected events</source>
        <translation>导出所选事件</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n event(s)</source>
        <translation>
            <numerusform>已导出 %n 个事件</numerusform>
        </translation>
    </message>
    <message>
        <source>Not exported: %1</source>
        <translation>未导出：%1</translation>
    </message>
    <message>
        <source>no events are selected</source>
        <translation>没有选中任何事件</translation>
    </message>
</context>
<context>
    <name>kucun::FlowModel</name>
    <message>
        <source>From</source>
        <translation>来自</translation>
    </message>
    <message>
        <source>To</source>
        <translation>去往</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总计</translation>
    </message>
    <message>
        <source>Per second</source>
        <translation>每秒</translation>
    </message>
</context>
<context>
    <name>kucun::FlowPanel</name>
    <message>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>cache only</source>
        <translation>仅缓存</translation>
    </message>
    <message numerus="yes">
        <source>→ %1 (%n client(s))</source>
        <translation>
            <numerusform>→ %1（%n 个客户端）</numerusform>
        </translation>
    </message>
    <message>
        <source>loading here</source>
        <translation>本中枢正在加载</translation>
    </message>
    <message>
        <source>loading here, holding the lock</source>
        <translation>本中枢正在加载，持有锁</translation>
    </message>
    <message>
        <source>waiting: another process holds the lock</source>
        <translation>等待中：另一进程持有锁</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Waiting callers</source>
        <translation>等待的调用方</translation>
    </message>
    <message>
        <source>Where it stands</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Choose an event to see what it did.</source>
        <translation>选择一个事件，查看它造成了什么。</translation>
    </message>
    <message>
        <source>Loads in progress</source>
        <translation>进行中的加载</translation>
    </message>
    <message>
        <source>Edges</source>
        <translation>连线</translation>
    </message>
    <message>
        <source>%1 traced events; %2 drawn one by one, the rest in the rates</source>
        <translation>已追踪 %1 个事件；逐个绘制 %2 个，其余计入速率</translation>
    </message>
    <message>
        <source>Traces are off on this hub (HUB_EVENT_TRACE=off): the diagram has nothing to draw.</source>
        <translation>此中枢已关闭追踪（HUB_EVENT_TRACE=off）：流向图无内容可画。</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>The cache&apos;s guards since the hub started: misses that waited for a load of the same key instead of loading again (single-flight), loads left to another process holding the key&apos;s lock, reads answered by a cached &quot;does not exist&quot;, and loads that failed.</source>
        <translation>中枢启动以来缓存防护机制的作用：等待同一个键正在进行的加载而不重复加载的未命中（单飞），交给持有该键锁的另一个进程的加载，由缓存的“不存在”应答的读取，以及失败的加载。</translation>
    </message>
</context>
<context>
    <name>kucun::FlowView</name>
    <message>
        <source>No events yet. Publish one, start the demo, or wait for the site.</source>
        <translation>还没有事件。发布一个、启动演示，或等待站点产生事件。</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/秒</translation>
    </message>
    <message>
        <source>bus</source>
        <translation>总线</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>ws: pass-through</source>
        <translation>ws: 直通</translation>
    </message>
</context>
<context>
    <name>kucun::GuardsText</name>
    <message>
        <source>degraded: the Redis link is cut (a demo fault), serving from memory</source>
        <translation>降级：与 Redis 的连接已被切断（演示故障），从内存提供服务</translation>
    </message>
    <message>
        <source>degraded: Redis is unavailable, serving from memory</source>
        <translation>降级：Redis 不可用，从内存提供服务</translation>
    </message>
    <message>
        <source>Guards: shared loads %1 · lock waits %2 · null hits %3 · failed loads %4</source>
        <translation>防护：共享加载 %1 · 锁等待 %2 · 空值命中 %3 · 失败加载 %4</translation>
    </message>
</context>
<context>
    <name>kucun::HotKeysModel</name>
    <message>
        <source>Counted since the key entered the list; up to %1 of these may belong to keys it replaced</source>
        <translation>自该键进入列表起计数；其中最多 %1 次可能属于被它替换的键</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Accesses</source>
        <translation>访问次数</translation>
    </message>
    <message>
        <source>Reads</source>
        <translation>读取</translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation>命中率</translation>
    </message>
    <message>
        <source>Misses</source>
        <translation>未命中</translation>
    </message>
    <message>
        <source>Writes</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>Loads</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
</context>
<context>
    <name>kucun::HotKeysPanel</name>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>&lt; 1 min</source>
        <translation>&lt; 1 分钟</translation>
    </message>
    <message>
        <source>&lt; 5 min</source>
        <translation>&lt; 5 分钟</translation>
    </message>
    <message>
        <source>&lt; 30 min</source>
        <translation>&lt; 30 分钟</translation>
    </message>
    <message>
        <source>&lt; 2 h</source>
        <translation>&lt; 2 小时</translation>
    </message>
    <message>
        <source>&lt; 1 day</source>
        <translation>&lt; 1 天</translation>
    </message>
    <message>
        <source>≥ 1 day</source>
        <translation>≥ 1 天</translation>
    </message>
    <message>
        <source>Writes</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>TTLs written</source>
        <translation>写入的 TTL</translation>
    </message>
    <message>
        <source>The Redis-protocol front is off (RESP_PORT=off, or REDIS_URL is set): the keys of a site&apos;s own Redis are not seen here.</source>
        <translation>Redis 协议前端已关闭（RESP_PORT=off，或设置了 REDIS_URL）：此处看不到站点自有 Redis 的键。</translation>
    </message>
    <message>
        <source>Keys the site&apos;s Redis clients read and write through the hub: %1 reads, %2 writes, %3 loads (a miss filled within a second). The list keeps the most used keys in bounded memory.</source>
        <translation>站点的 Redis 客户端经由中枢读写的键：读取 %1 次，写入 %2 次，加载 %3 次（未命中后一秒内写入）。列表以有限内存保留最常用的键。</translation>
    </message>
</context>
<context>
    <name>kucun::HubAttachment</name>
    <message>
        <source>⚠ Not encrypted</source>
        <translation>⚠ 未加密</translation>
    </message>
    <message>
        <source>&lt;p&gt;The certificate of &lt;b&gt;%1&lt;/b&gt; is not trusted: %2.&lt;/p&gt;&lt;p&gt;Issued to: %3&lt;br&gt;Issued by: %4&lt;br&gt;Valid: %5 to %6&lt;br&gt;SHA-256: %7&lt;/p&gt;&lt;p&gt;Trust only a certificate you know to be the hub&apos;s own (compare the SHA-256 with &lt;code&gt;openssl x509 -noout -fingerprint -sha256 -in&lt;/code&gt; its certificate file). Trust this certificate for this hub from now on?&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; 的证书不受信任：%2。&lt;/p&gt;&lt;p&gt;颁发给：%3&lt;br&gt;颁发者：%4&lt;br&gt;有效期：%5 至 %6&lt;br&gt;SHA-256：%7&lt;/p&gt;&lt;p&gt;只应信任确认属于该中枢的证书（用 &lt;code&gt;openssl x509 -noout -fingerprint -sha256 -in&lt;/code&gt; 对其证书文件核对 SHA-256）。今后对此中枢信任该证书吗？&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Untrusted certificate</source>
        <translation>不受信任的证书</translation>
    </message>
</context>
<context>
    <name>kucun::HubKeyring</name>
    <message>
        <source>no keyring service is running</source>
        <translation>没有运行中的密钥环服务</translation>
    </message>
    <message>
        <source>the keyring refused access</source>
        <translation>密钥环拒绝访问</translation>
    </message>
    <message>
        <source>the keyring failed: %1</source>
        <translation>密钥环出错：%1</translation>
    </message>
</context>
<context>
    <name>kucun::HubSettingsModel</name>
    <message>
        <source>Redis command connections, 1-64</source>
        <translation>Redis 命令连接数，1-64</translation>
    </message>
    <message>
        <source>Key namespace</source>
        <translation>键命名空间</translation>
    </message>
    <message>
        <source>WebSocket bind address</source>
        <translation>WebSocket 监听地址</translation>
    </message>
    <message>
        <source>WebSocket port; 0 = pick a free one and print it</source>
        <translation>WebSocket 端口；0 表示自动选择空闲端口并打印</translation>
    </message>
    <message>
        <source>Allowed browser origins, comma separated; * = any</source>
        <translation>允许的浏览器来源，用逗号分隔；* 表示任意来源</translation>
    </message>
    <message>
        <source>HS256 secret for client tokens (at least 32 bytes); empty = no auth</source>
        <translation>客户端令牌的 HS256 密钥（至少 32 字节）；留空则不验证</translation>
    </message>
    <message>
        <source>Data folder (audit log, history)</source>
        <translation>数据目录（审计日志、历史消息）</translation>
    </message>
    <message>
        <source>Memory engine size limit in MiB</source>
        <translation>内存引擎容量上限（MiB）</translation>
    </message>
    <message>
        <source>UI language: en or zh_CN; empty = system</source>
        <translation>界面语言：en 或 zh_CN；留空则跟随系统</translation>
    </message>
    <message>
        <source>Event routing table (JSON); empty = built-in table</source>
        <translation>事件路由表（JSON）；留空则使用内置路由表</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置项</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>命令行参数</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>settings file</source>
        <translation>配置文件</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>Audit log size limit in rows</source>
        <translation>审计日志行数上限</translation>
    </message>
    <message>
        <source>Audit log age limit in days</source>
        <translation>审计日志保留天数上限</translation>
    </message>
    <message>
        <source>Most WebSocket clients at once</source>
        <translation>同时连接的 WebSocket 客户端上限</translation>
    </message>
    <message>
        <source>Data queued to one WebSocket client before it is cut, in MiB</source>
        <translation>单个 WebSocket 客户端的待发送数据上限（MiB），超出即断开</translation>
    </message>
    <message>
        <source>Audit log size limit in MiB (database file and WAL)</source>
        <translation>审计日志大小上限（MiB，数据库文件与 WAL 合计）</translation>
    </message>
    <message>
        <source>Memory for channel history over all channels, in MiB</source>
        <translation>所有频道历史消息的内存上限（MiB）</translation>
    </message>
    <message>
        <source>Most WebSocket channels keeping history at once</source>
        <translation>保留历史消息的 WebSocket 频道数上限</translation>
    </message>
    <message>
        <source>Time a WebSocket handshake may take, in milliseconds</source>
        <translation>WebSocket 握手时限（毫秒）</translation>
    </message>
    <message>
        <source>Most unfinished WebSocket handshakes at once</source>
        <translation>未完成的 WebSocket 握手数上限</translation>
    </message>
    <message>
        <source>Queued to a WebSocket client before it presents its token, in KiB</source>
        <translation>客户端出示令牌前可排队的数据量（KiB）</translation>
    </message>
    <message>
        <source>HTTP port (API, metrics, health); 0 = pick a free one; off</source>
        <translation>HTTP 端口（API、指标、健康检查）；0 表示自动选择空闲端口；off 表示关闭</translation>
    </message>
    <message>
        <source>HTTP bind address</source>
        <translation>HTTP 监听地址</translation>
    </message>
    <message>
        <source>Admin API key (at least 16 bytes); empty = API for loopback only</source>
        <translation>管理员 API 密钥（至少 16 字节）；留空则 API 只对本机回环地址开放</translation>
    </message>
    <message>
        <source>Viewer API key for read-only calls (at least 16 bytes)</source>
        <translation>只读调用的查看者 API 密钥（至少 16 字节）</translation>
    </message>
    <message>
        <source>TLS certificate chain (PEM) for wss:// and https://; empty = plain</source>
        <translation>用于 wss:// 和 https:// 的 TLS 证书链（PEM）；留空则不加密</translation>
    </message>
    <message>
        <source>TLS private key (PEM) of the certificate</source>
        <translation>该证书的 TLS 私钥（PEM）</translation>
    </message>
    <message>
        <source>HTTP API writes per second per key; 0 = no limit</source>
        <translation>每个密钥每秒可执行的 HTTP API 写操作数；0 表示不限</translation>
    </message>
    <message>
        <source>Redis-protocol port of the embedded engine; 0 = pick a free one; off (always off with REDIS_URL)</source>
        <translation>内置引擎的 Redis 协议端口；0 表示自动选择空闲端口；off 表示关闭（设置了 REDIS_URL 时始终关闭）</translation>
    </message>
    <message>
        <source>Redis-protocol bind address</source>
        <translation>Redis 协议监听地址</translation>
    </message>
    <message>
        <source>Password Redis-protocol clients must AUTH with; empty = none</source>
        <translation>Redis 协议客户端须用 AUTH 提供的密码；留空表示不需要</translation>
    </message>
    <message>
        <source>Channel history with Redis: shared by every hub (in Redis) or local to each hub</source>
        <translation>使用 Redis 时的频道历史：shared 为所有中枢共享（存于 Redis），local 为每个中枢各自保存</translation>
    </message>
    <message>
        <source>Redis URL redis://[user:pass@]host[:port][/db] or redis+sentinel://host:26379[,host:26379…]/master[/db]; empty = embedded engine</source>
        <translation>Redis 地址 redis://[用户:密码@]主机[:端口][/库号] 或 redis+sentinel://主机:26379[,主机:26379…]/主节点名[/库号]；留空使用内置引擎</translation>
    </message>
    <message>
        <source>Redis Stream of reliable events the hub consumes (with Redis); empty = none</source>
        <translation>中枢消费的可靠事件 Redis Stream（需配置 Redis）；留空表示不使用</translation>
    </message>
    <message>
        <source>Keep what each event did (its causal trace) with its audit row</source>
        <translation>在审计记录中保存每个事件造成的结果（因果追踪）</translation>
    </message>
    <message>
        <source>One address&apos;s share of the unfinished WebSocket handshakes</source>
        <translation>单个地址在未完成 WebSocket 握手中的份额</translation>
    </message>
</context>
<context>
    <name>kucun::InvalidatePanel</name>
    <message>
        <source>&amp;Preview</source>
        <translation>预览(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Invalidate…</source>
        <translation>失效(&amp;I)…</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Namespace pattern</source>
        <translation>命名空间模式</translation>
    </message>
    <message>
        <source>products:42, or products:list: / inventory:*</source>
        <translation>products:42，或 products:list: / inventory:*</translation>
    </message>
    <message>
        <source>Invalidate by:</source>
        <translation>失效方式：</translation>
    </message>
    <message>
        <source>Tag or pattern:</source>
        <translation>标签或模式：</translation>
    </message>
    <message>
        <source>Results:</source>
        <translation>结果：</translation>
    </message>
    <message>
        <source>Enter a tag or a pattern.</source>
        <translation>请输入标签或模式。</translation>
    </message>
    <message>
        <source>The engine is not running.</source>
        <translation>引擎未运行。</translation>
    </message>
    <message>
        <source>Preview failed: %1</source>
        <translation>预览失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) would be invalidated.</source>
        <translation>
            <numerusform>将使 %n 个键失效。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>……另有 %n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>Invalidate</source>
        <translation>失效</translation>
    </message>
    <message numerus="yes">
        <source>Invalidate tag %1 (%n key(s))?</source>
        <translation>
            <numerusform>使标签 %1 失效（%n 个键）？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Invalidate pattern %1 (%n key(s))?</source>
        <translation>
            <numerusform>使模式 %1 失效（%n 个键）？</numerusform>
        </translation>
    </message>
    <message>
        <source>tag %1</source>
        <translation>标签 %1</translation>
    </message>
    <message>
        <source>pattern %1</source>
        <translation>模式 %1</translation>
    </message>
    <message numerus="yes">
        <source>Invalidated %1: %n key(s) removed</source>
        <translation>
            <numerusform>已使%1失效：删除了 %n 个键</numerusform>
        </translation>
    </message>
    <message>
        <source>Invalidating %1 failed: %2</source>
        <translation>使%1失效时出错：%2</translation>
    </message>
    <message>
        <source>Refresh &amp;tags</source>
        <translation>刷新标签(&amp;T)</translation>
    </message>
    <message>
        <source>The tags could not be listed: %1</source>
        <translation>无法列出标签：%1</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在计数…</translation>
    </message>
</context>
<context>
    <name>kucun::KeySegmentsModel</name>
    <message>
        <source>Segment</source>
        <translation>分段</translation>
    </message>
    <message>
        <source>Hits</source>
        <translation>命中</translation>
    </message>
    <message>
        <source>Misses</source>
        <translation>未命中</translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation>命中率</translation>
    </message>
</context>
<context>
    <name>kucun::KeysModel</name>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>tag set</source>
        <translation>标签集</translation>
    </message>
    <message>
        <source>lock</source>
        <translation>锁</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>no expiry</source>
        <translation>永不过期</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s)</source>
        <translation>
            <numerusform>%n 个键</numerusform>
        </translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>TTL</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
</context>
<context>
    <name>kucun::KeysPanel</name>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Set &amp;TTL…</source>
        <translation>设置过期时间(&amp;T)…</translation>
    </message>
    <message>
        <source>Filter: a glob such as products:* (empty: every key)</source>
        <translation>筛选：通配模式，如 products:*（留空：全部键）</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>Select a key to see its value.</source>
        <translation>选择一个键以查看其值。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>(no value: the key is gone or caches a &quot;does not exist&quot;)</source>
        <translation>（无值：键已不存在，或缓存的是“数据不存在”）</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Could not delete %1: %2</source>
        <translation>无法删除 %1：%2</translation>
    </message>
    <message>
        <source>Deleted key %1</source>
        <translation>已删除键 %1</translation>
    </message>
    <message>
        <source>Set TTL</source>
        <translation>设置过期时间</translation>
    </message>
    <message>
        <source>New TTL of %1 in seconds (0: no expiry):</source>
        <translation>%1 的新过期时间（秒，0 表示永不过期）：</translation>
    </message>
    <message>
        <source>%1 no longer exists.</source>
        <translation>%1 已不存在。</translation>
    </message>
    <message>
        <source>Could not set the TTL of %1: %2</source>
        <translation>无法设置 %1 的过期时间：%2</translation>
    </message>
    <message>
        <source>Set the TTL of %1 to %2 s</source>
        <translation>已将 %1 的过期时间设为 %2 秒</translation>
    </message>
</context>
<context>
    <name>kucun::MainWindow</name>
    <message>
        <source>Kucun Hub</source>
        <translation>库存中枢</translation>
    </message>
    <message>
        <source>The hub could not start: %1</source>
        <translation>中枢无法启动：%1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Kucun Hub</source>
        <translation>关于库存中枢(&amp;A)</translation>
    </message>
    <message>
        <source>Engine: stopped</source>
        <translation>引擎：已停止</translation>
    </message>
    <message>
        <source>Engine: starting…</source>
        <translation>引擎：正在启动…</translation>
    </message>
    <message>
        <source>Engine: %1</source>
        <translation>引擎：%1</translation>
    </message>
    <message>
        <source>Engine: stopping…</source>
        <translation>引擎：正在停止…</translation>
    </message>
    <message>
        <source>Engine: failed (%1)</source>
        <translation>引擎：启动失败（%1）</translation>
    </message>
    <message>
        <source>WebSocket: %1</source>
        <translation>WebSocket：%1</translation>
    </message>
    <message>
        <source>WebSocket: not listening</source>
        <translation>WebSocket：未监听</translation>
    </message>
    <message numerus="yes">
        <source>Clients: %n</source>
        <translation>
            <numerusform>客户端：%n</numerusform>
        </translation>
    </message>
    <message>
        <source>About Kucun Hub</source>
        <translation>关于库存中枢</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Kucun Hub %1&lt;/h3&gt;&lt;p&gt;The cache and realtime hub of a warehouse site: cache engine, event bus and WebSocket hub in one program.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;库存中枢 %1&lt;/h3&gt;&lt;p&gt;库存站点的缓存与实时消息中枢：缓存引擎、事件总线和 WebSocket 中枢集于一个程序。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>概览(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Invalidate</source>
        <translation>失效(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>事件(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Clients &amp;&amp; channels</source>
        <translation>客户端和频道(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation>发布(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>&amp;Demo traffic</source>
        <translation>演示流量(&amp;D)</translation>
    </message>
    <message>
        <source>Generate warehouse traffic through the engine: reads, stock changes, orders</source>
        <translation>通过引擎产生仓库流量：读取、库存变动、订单</translation>
    </message>
    <message>
        <source> ops/s</source>
        <translation> 次/秒</translation>
    </message>
    <message>
        <source>Hit rate: –</source>
        <translation>命中率：–</translation>
    </message>
    <message>
        <source>Show Kucun Hub</source>
        <translation>显示库存中枢</translation>
    </message>
    <message>
        <source>Hit rate: %1%</source>
        <translation>命中率：%1%</translation>
    </message>
    <message numerus="yes">
        <source>Kucun Hub: %1, %n client(s)</source>
        <translation>
            <numerusform>库存中枢：%1，%n 个客户端</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Hot keys</source>
        <translation>热点键(&amp;H)</translation>
    </message>
    <message>
        <source>Kucun Hub — %1</source>
        <translation>库存中枢 — %1</translation>
    </message>
    <message>
        <source>&amp;Admin log</source>
        <translation>管理日志(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Connect to hub…</source>
        <translation>连接到中枢(&amp;C)…</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>Hub %1: not attached</source>
        <translation>中枢 %1：未连接</translation>
    </message>
    <message>
        <source>Hub %1: connecting…</source>
        <translation>中枢 %1：正在连接…</translation>
    </message>
    <message>
        <source>Hub %1: %2</source>
        <translation>中枢 %1：%2</translation>
    </message>
    <message>
        <source>Hub %1: reconnecting… (%2)</source>
        <translation>中枢 %1：正在重新连接…（%2）</translation>
    </message>
    <message>
        <source>&amp;Flow</source>
        <translation>流向(&amp;F)</translation>
    </message>
    <message>
        <source>Faults…</source>
        <translation>故障…</translation>
    </message>
    <message>
        <source>Slow and failing loaders, a stampede, a burst, the Redis link cut: watch the cache&apos;s guards at work</source>
        <translation>慢加载器和失败的加载器、缓存击穿、突发流量、切断 Redis 连接：观察缓存防护机制的作用</translation>
    </message>
    <message numerus="yes">
        <source>Faults (%n on)…</source>
        <translation>
            <numerusform>故障（%n 项开启）…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>kucun::MetricsHistoryModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Hit rate (%)</source>
        <translation>命中率（%）</translation>
    </message>
    <message>
        <source>Cache operations/s</source>
        <translation>缓存操作/秒</translation>
    </message>
    <message>
        <source>Events/s</source>
        <translation>事件/秒</translation>
    </message>
    <message>
        <source>WebSocket messages/s</source>
        <translation>WebSocket 消息/秒</translation>
    </message>
</context>
<context>
    <name>kucun::OverviewPanel</name>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <source>not configured (embedded engine)</source>
        <translation>未配置（内置引擎）</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>运行时间</translation>
    </message>
    <message>
        <source>Hit rate</source>
        <translation>命中率</translation>
    </message>
    <message>
        <source>Hits / misses</source>
        <translation>命中 / 未命中</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>键数</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Invalidations</source>
        <translation>失效次数</translation>
    </message>
    <message>
        <source>WebSocket clients</source>
        <translation>WebSocket 客户端</translation>
    </message>
    <message>
        <source>WebSocket messages</source>
        <translation>WebSocket 消息</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Cache operations/s</source>
        <translation>缓存操作/秒</translation>
    </message>
    <message>
        <source>ops/s</source>
        <translation>次/秒</translation>
    </message>
    <message>
        <source>Events/s</source>
        <translation>事件/秒</translation>
    </message>
    <message>
        <source>events/s</source>
        <translation>事件/秒</translation>
    </message>
    <message>
        <source>WebSocket messages/s</source>
        <translation>WebSocket 消息/秒</translation>
    </message>
    <message>
        <source>messages/s</source>
        <translation>消息/秒</translation>
    </message>
    <message>
        <source>%1:%2:%3</source>
        <translation>%1:%2:%3</translation>
    </message>
    <message>
        <source>%1 (%2 keys)</source>
        <translation>%1（%2 个键）</translation>
    </message>
    <message>
        <source>Redis subscriber cut</source>
        <translation>Redis 订阅连接被断开</translation>
    </message>
    <message>
        <source>How often Redis closed the hub&apos;s subscriber connection, usually after a burst over its client-output-buffer-limit for pubsub. Events published on Redis until the hub subscribed again were lost.</source>
        <translation>Redis 关闭本中枢订阅连接的次数，通常是突发消息超过其 pubsub 的 client-output-buffer-limit 所致。在重新订阅之前发布到 Redis 的事件已丢失。</translation>
    </message>
    <message>
        <source>%1 (events were lost)</source>
        <translation>%1（有事件丢失）</translation>
    </message>
    <message>
        <source>Redis server</source>
        <translation>Redis 服务器</translation>
    </message>
    <message>
        <source>The server the hub talks to; through Redis Sentinel, the master the sentinels named, and how many of them answered when last asked.</source>
        <translation>中枢所连接的服务器；通过 Redis Sentinel 时为哨兵指定的主节点，以及上次询问时有几个哨兵应答。</translation>
    </message>
    <message>
        <source>master %1, %2 of %3 sentinels answer</source>
        <translation>主节点 %1，%3 个哨兵中有 %2 个应答</translation>
    </message>
    <message>
        <source>Event stream lag</source>
        <translation>事件流积压</translation>
    </message>
    <message>
        <source>With a reliable event stream (HUB_EVENT_STREAM): entries not yet read by this hub, and read but not yet acknowledged.</source>
        <translation>使用可靠事件流（HUB_EVENT_STREAM）时：本中枢尚未读取的条目数，以及已读取但尚未确认的条目数。</translation>
    </message>
    <message>
        <source>%1 unread, %2 pending</source>
        <translation>%1 条未读，%2 条待确认</translation>
    </message>
    <message>
        <source>Shared loads</source>
        <translation>共享加载</translation>
    </message>
    <message>
        <source>Misses that waited for a load of the same key already in progress instead of loading again (single-flight), and the loads in progress now.</source>
        <translation>等待同一个键已在进行的加载而不重复加载的未命中（单飞），以及当前正在进行的加载。</translation>
    </message>
    <message>
        <source>Lock waits</source>
        <translation>锁等待</translation>
    </message>
    <message>
        <source>Loads left to another process that held the key&apos;s lock (getOrSetWithLock): it loaded, this hub read what it stored.</source>
        <translation>交给持有该键锁的另一个进程的加载（getOrSetWithLock）：由它加载，本中枢读取它存入的值。</translation>
    </message>
    <message>
        <source>Null hits</source>
        <translation>空值命中</translation>
    </message>
    <message>
        <source>Reads answered by a cached &quot;does not exist&quot; instead of asking the database again (the penetration guard).</source>
        <translation>由缓存的“不存在”应答、而不再查询数据库的读取（防穿透）。</translation>
    </message>
    <message>
        <source>Failed loads</source>
        <translation>失败加载</translation>
    </message>
    <message>
        <source>Loads that failed: nothing was cached, the next read tries again.</source>
        <translation>失败的加载：不缓存任何内容，下一次读取会重试。</translation>
    </message>
    <message>
        <source>%1 (%2 loading now)</source>
        <translation>%1（当前 %2 个加载中）</translation>
    </message>
</context>
<context>
    <name>kucun::PublishPanel</name>
    <message>
        <source>raw ws:&lt;channel&gt; message</source>
        <translation>原始 ws:&lt;频道&gt; 消息</translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation>发布(&amp;P)</translation>
    </message>
    <message>
        <source>Event:</source>
        <translation>事件：</translation>
    </message>
    <message>
        <source>inventory (sent on ws:inventory)</source>
        <translation>inventory（发送到 ws:inventory）</translation>
    </message>
    <message>
        <source>Any JSON, e.g. {&quot;message&quot;:&quot;hello&quot;}</source>
        <translation>任意 JSON，例如 {&quot;message&quot;:&quot;hello&quot;}</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>频道：</translation>
    </message>
    <message>
        <source>JSON:</source>
        <translation>JSON：</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>A channel name is 1-64 of A-Z a-z 0-9 _ . : -</source>
        <translation>频道名为 1 到 64 个字符，仅限 A-Z a-z 0-9 _ . : -</translation>
    </message>
    <message>
        <source>The message is not JSON: %1</source>
        <translation>消息不是 JSON：%1</translation>
    </message>
    <message>
        <source>%1 must be a number</source>
        <translation>%1必须是数字</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>未发送：%1</translation>
    </message>
    <message>
        <source>Not sent: the engine is not running.</source>
        <translation>未发送：引擎未运行。</translation>
    </message>
    <message>
        <source>Sent on %1: %2</source>
        <translation>已发送到 %1：%2</translation>
    </message>
    <message>
        <source>Published on %1</source>
        <translation>已发布到 %1</translation>
    </message>
    <message>
        <source>one of these</source>
        <translation>二者填其一</translation>
    </message>
    <message>
        <source>Sending on %1…</source>
        <translation>正在发送到 %1…</translation>
    </message>
</context>
<context>
    <name>kucun::RemoteHub</name>
    <message>
        <source>the hub has said nothing for %1 s</source>
        <translation>中枢已 %1 秒没有任何消息</translation>
    </message>
    <message>
        <source>%1 is plain http:// on another machine: the key and everything the hub shows cross the network unencrypted. Give the hub HUB_TLS_CERT and HUB_TLS_KEY and attach with https://.</source>
        <translation>%1 是另一台机器上的明文 http://：密钥和中枢显示的一切都以未加密方式经过网络。请为中枢设置 HUB_TLS_CERT 和 HUB_TLS_KEY，并用 https:// 连接。</translation>
    </message>
    <message>
        <source>the certificate of %1 is not trusted: %2</source>
        <translation>%1 的证书不受信任：%2</translation>
    </message>
    <message>
        <source>the hub refused the key: %1</source>
        <translation>中枢拒绝了密钥：%1</translation>
    </message>
    <message>
        <source>the hub closed the link</source>
        <translation>中枢关闭了连接</translation>
    </message>
    <message>
        <source>attached with the viewer key, which may look but not change anything</source>
        <translation>以查看者密钥连接：只能查看，不能更改任何内容</translation>
    </message>
    <message>
        <source>HTTP status %1</source>
        <translation>HTTP 状态 %1</translation>
    </message>
    <message>
        <source>the hub&apos;s answer was larger than %1 MiB</source>
        <translation>中枢的回复超过 %1 MiB</translation>
    </message>
</context>
<context>
    <name>kucun::SettingsPanel</name>
    <message>
        <source>(not set: default, environment or flag)</source>
        <translation>（未设置：使用默认值、环境变量或命令行参数）</translation>
    </message>
    <message>
        <source>&amp;Save to the settings file</source>
        <translation>保存到设置文件(&amp;S)</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>还原(&amp;V)</translation>
    </message>
    <message>
        <source>Settings file %1 (read at start)</source>
        <translation>设置文件 %1（启动时读取）</translation>
    </message>
    <message>
        <source>Nothing saved. %1</source>
        <translation>未保存任何内容。%1</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Saved. The hub reads the file at start: restart it to apply.</source>
        <translation>已保存。设置文件在启动时读取：请重新启动以生效。</translation>
    </message>
    <message>
        <source>Settings saved to %1</source>
        <translation>设置已保存到 %1</translation>
    </message>
    <message>
        <source>Save and &amp;apply now</source>
        <translation>保存并立即应用(&amp;A)</translation>
    </message>
    <message>
        <source>Restarts the engine with the saved settings: WebSocket clients are disconnected and reconnect</source>
        <translation>用保存的设置重新启动引擎：WebSocket 客户端会断开并重新连接</translation>
    </message>
    <message>
        <source>Saved, not applied: %1</source>
        <translation>已保存，未应用：%1</translation>
    </message>
    <message>
        <source>Saved and applied: the engine restarts with these settings.</source>
        <translation>已保存并应用：引擎将以这些设置重新启动。</translation>
    </message>
</context>
<context>
    <name>kucun::TagsModel</name>
    <message>
        <source>Tag</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>键数</translation>
    </message>
</context>
<context>
    <name>kucun::TraceTimeline</name>
    <message>
        <source>+%1 µs</source>
        <translation>+%1 微秒</translation>
    </message>
    <message>
        <source>+%1 ms</source>
        <translation>+%1 毫秒</translation>
    </message>
    <message>
        <source>this hub</source>
        <translation>本中枢</translation>
    </message>
    <message>
        <source>Redis</source>
        <translation>Redis</translation>
    </message>
    <message>
        <source>the reliable stream</source>
        <translation>可靠事件流</translation>
    </message>
    <message>
        <source>the HTTP API</source>
        <translation>HTTP API</translation>
    </message>
    <message>
        <source>a Redis-protocol client</source>
        <translation>Redis 协议客户端</translation>
    </message>
    <message>
        <source>a WebSocket client</source>
        <translation>WebSocket 客户端</translation>
    </message>
    <message>
        <source>a window&apos;s Publish panel</source>
        <translation>窗口的发布面板</translation>
    </message>
    <message>
        <source>the demo</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>a replayed recording</source>
        <translation>回放的录制</translation>
    </message>
    <message>
        <source>Event %1, %2</source>
        <translation>事件 %1，%2</translation>
    </message>
    <message>
        <source>received on %1 from %2</source>
        <translation>从%2收到，频道 %1</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>已拒绝：%1</translation>
    </message>
    <message>
        <source>no routing rule (passed through)</source>
        <translation>无路由规则（直通）</translation>
    </message>
    <message>
        <source>rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <source>namespace %1</source>
        <translation>命名空间 %1</translation>
    </message>
    <message>
        <source>tag %1</source>
        <translation>标签 %1</translation>
    </message>
    <message>
        <source>%1: failed (%2)</source>
        <translation>%1：失败（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n key(s) removed</source>
        <translation>
            <numerusform>%1：删除了 %n 个键</numerusform>
        </translation>
    </message>
    <message>
        <source>handed to WebSocket channel %1</source>
        <translation>已交给 WebSocket 频道 %1</translation>
    </message>
    <message>
        <source>handed to the shared stream of channel %1 (Redis stamps it; every hub delivers it)</source>
        <translation>已交给频道 %1 的共享流（由 Redis 编号，每个中枢各自投递）</translation>
    </message>
    <message numerus="yes">
        <source>channel %1, offset %2: written to %n client(s)</source>
        <translation>
            <numerusform>频道 %1，偏移 %2：已写给 %n 个客户端</numerusform>
        </translation>
    </message>
    <message>
        <source>skipped %1: %2</source>
        <translation>跳过 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n connected client(s) not subscribed</source>
        <translation>
            <numerusform>%n 个已连接的客户端未订阅</numerusform>
        </translation>
    </message>
    <message>
        <source>(written before every answer came: the hub stopped or an answer was late)</source>
        <translation>（在所有应答到达前写入：中枢已停止或应答太迟）</translation>
    </message>
    <message>
        <source>no routing rule matched</source>
        <translation>没有匹配的路由规则</translation>
    </message>
    <message>
        <source>cascade done</source>
        <translation>级联失效完成</translation>
    </message>
</context>
</TS>
