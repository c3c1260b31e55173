<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>kucun::HubSettingsModel</name>
    <message>
        <source>Redis URL redis://[user:pass@]host[:port][/db]; empty = embedded engine</source>
        <translation type="unfinished"></translation>
    </message>
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
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
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
</context>
</TS>
