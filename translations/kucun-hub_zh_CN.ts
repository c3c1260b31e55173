<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>kucun::HubSettingsModel</name>
    <message>
        <source>Redis URL redis://[user:pass@]host[:port][/db]; empty = embedded engine</source>
        <translation>Redis 地址 redis://[用户:密码@]主机[:端口][/库号]；留空则使用内置引擎</translation>
    </message>
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
</context>
</TS>
