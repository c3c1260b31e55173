// A window attached to a headless hub (the real binary) over loopback, offscreen (SPEC §13):
// the panels show the remote hub's counters, keys, events and clients; an invalidation made in
// the window removes the keys there and is in its admin log with the role and the address; a
// viewer's window has every change disabled with a reason; a hub that restarts is followed, the
// window greyed meanwhile; a certificate is trusted only when the user says so.

#include "adminlogpanel.h"
#include "clientsmodel.h"
#include "engine/remotehub.h"
#include "eventspanel.h"
#include "eventstreammodel.h"
#include "flowmodel.h"
#include "flowpanel.h"
#include "hubattachment.h"
#include "invalidatepanel.h"
#include "keysmodel.h"
#include "keyspanel.h"
#include "mainwindow.h"
#include "overviewpanel.h"
#include "publishpanel.h"
#include "support/httptesting.h"
#include "support/hublinktesting.h"
#include "support/hubprocess.h"
#include "support/respclient.h"
#include "support/tlsfiles.h"
#include "support/wssubscriber.h"
#include "uitranslation.h"

#include <QAction>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTreeWidget>

using kucun::HubAttachment;
using kucun::HubLink;
using kucun::test::HttpReply;
using kucun::test::HubProcess;

namespace {

const QByteArray kAdminKey = QByteArrayLiteral("admin-key-0123456789abcdef");
const QByteArray kViewerKey = QByteArrayLiteral("viewer-key-0123456789abcdef");

}  // namespace

class TestHubAttachment : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void windowShowsAndChangesTheRemoteHub();
    void viewerWindowDisablesEveryChange();
    void restartedHubIsFollowedAndRefilled();
    void plainHttpToAnotherMachineIsWarnedAbout();
    void readOnlyWindowOpensReadOnlyWindows();
    void certificateIsTrustedOnlyWhenTheUserSaysSo();

private:
    // Starts the hub binary headless with keys; `env` adds to or overrides its settings.
    bool startHub(HubProcess &hub, const QMap<QString, QString> &env = {});
    QUrl httpUrl(const HubProcess &hub) const;
    HttpReply api(const HubProcess &hub, const QByteArray &method, const QString &path,
                  const QByteArray &body = {});

    std::unique_ptr<QTemporaryDir> m_home;
    QNetworkAccessManager m_network;
};

void TestHubAttachment::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);  // window state and trust: a throwaway QSettings
    // English as users get it: plural forms ("2 keys") come from the translation.
    QCOMPARE(kucun::installUiTranslation(*qApp, QStringLiteral("en")), QStringLiteral("en"));
}

void TestHubAttachment::init()
{
    m_home = std::make_unique<QTemporaryDir>();
}

void TestHubAttachment::cleanup()
{
    m_home.reset();
}

bool TestHubAttachment::startHub(HubProcess &hub, const QMap<QString, QString> &extra)
{
    QProcessEnvironment env = HubProcess::cleanEnvironment(m_home->path());
    env.insert(QStringLiteral("WS_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("HTTP_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("RESP_PORT"), QStringLiteral("0"));
    env.insert(QStringLiteral("HUB_ADMIN_KEY"), QString::fromLatin1(kAdminKey));
    env.insert(QStringLiteral("HUB_VIEWER_KEY"), QString::fromLatin1(kViewerKey));
    env.insert(QStringLiteral("HUB_DATA_DIR"), m_home->filePath(QStringLiteral("data")));
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        env.insert(it.key(), it.value());
    return hub.start(QStringLiteral(KUCUN_HUB_BINARY), {QStringLiteral("--headless")}, env)
           && hub.waitForReady().isValid();
}

QUrl TestHubAttachment::httpUrl(const HubProcess &hub) const
{
    const qsizetype at = hub.readyLine.indexOf(QStringLiteral("http="));
    return QUrl(hub.readyLine.mid(at + 5).section(u' ', 0, 0));
}

HttpReply TestHubAttachment::api(const HubProcess &hub, const QByteArray &method,
                                 const QString &path, const QByteArray &body)
{
    return kucun::test::httpCall(m_network, method, httpUrl(hub).resolved(QUrl(path)), body,
                                 kAdminKey);
}

void TestHubAttachment::windowShowsAndChangesTheRemoteHub()
{
    HubProcess hub;
    QVERIFY(startHub(hub));
    // The site's keys, written through the Redis-protocol front as a site's Redis code would.
    kucun::test::RespClient site;
    QVERIFY(site.connectTo(hub.readyPort(QStringLiteral("resp"))));
    for (const QByteArray id : {"1", "2"}) {
        QCOMPARE(site.command(
                     {"SET", "kucun:products:detail:" + id, "{\"id\":" + id + "}", "EX", "600"}),
                 QByteArrayLiteral("+OK\r\n"));
    }
    QCOMPARE(site.command({"SADD", "kucun:tag:products", "kucun:products:detail:1",
                           "kucun:products:detail:2"}),
             QByteArrayLiteral(":2\r\n"));
    kucun::test::WsSubscriber browser;
    QVERIFY(browser.open(QUrl(hub.readyLine.section(u' ', 2, 2).mid(3))));

    HubAttachment attachment(httpUrl(hub), kAdminKey, {}, false);
    kucun::MainWindow &window = attachment.window();
    attachment.start();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString name = httpUrl(hub).toString();
    QCOMPARE(window.windowTitle(), QStringLiteral("Kucun Hub — %1").arg(name));
    QTRY_COMPARE_WITH_TIMEOUT(window.engineStateText(), QStringLiteral("Hub %1: memory").arg(name),
                              10000);
    QVERIFY(!window.isReadOnlyShown());
    // The Settings panel is this process's: not shown for a hub elsewhere.
    QVERIFY(!window.findChild<QTabWidget *>(QStringLiteral("panels"))
                 ->isTabVisible(int(kucun::MainWindow::Panel::Settings)));

    // Overview counters, the key tree, the client list and the event stream are the hub's.
    QTRY_COMPARE_WITH_TIMEOUT(window.overviewPanel()->counterText(QStringLiteral("clients")),
                              QStringLiteral("1"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(window.clientsModel()->rowCount(), 1, 10000);
    kucun::KeysPanel *keys = window.keysPanel();
    QTRY_VERIFY_WITH_TIMEOUT(keys->model() && keys->model()->rowCount() > 0, 10000);
    QStringList groups;
    for (int row = 0; row < keys->model()->rowCount(); ++row)
        groups << keys->model()->index(row, 0).data().toString();
    QVERIFY2(groups.contains(QStringLiteral("products:")), qPrintable(groups.join(u',')));
    const HttpReply event = api(
        hub, "POST", QStringLiteral("/api/events"),
        R"({"type":"inventory:change","productId":"9","oldQuantity":3,"newQuantity":2,"reason":"sale","timestamp":1700000000000})");
    QCOMPARE(event.status, 202);
    QTRY_VERIFY_WITH_TIMEOUT(window.eventStream()->rowCount() >= 1, 10000);
    // The Flow panel draws it from the stream, and its trace comes over the API.
    kucun::FlowPanel *flow = window.flowPanel();
    QTRY_VERIFY_WITH_TIMEOUT(
        flow->model()->rowOf(QStringLiteral("source:http"), QStringLiteral("bus")) >= 0, 10000);
    QVERIFY(flow->model()->rowOf(QStringLiteral("rule:#2 inventory:change"),
                                 QStringLiteral("channel:inventory"))
            >= 0);
    QTRY_VERIFY_WITH_TIMEOUT(flow->tracesList()->topLevelItemCount() >= 1, 10000);
    window.showPanel(kucun::MainWindow::Panel::Events);
    kucun::EventsPanel *events = window.eventsPanel();
    events->view()->setCurrentIndex(events->view()->model()->index(0, 0));
    auto *detail = events->findChild<QPlainTextEdit *>();
    QTRY_VERIFY_WITH_TIMEOUT(detail->toPlainText().contains(u"rule #2 inventory:change"), 10000);
    QVERIFY(detail->toPlainText().contains(u"from the HTTP API"));

    // An invalidation from the window removes the keys on the hub, and is in its admin log.
    kucun::InvalidatePanel *invalidate = window.invalidatePanel();
    invalidate->setConfirmation(false);
    invalidate->setTarget(kucun::InvalidatePanel::Kind::Tag, QStringLiteral("products"));
    invalidate->preview();
    QTRY_COMPARE_WITH_TIMEOUT(invalidate->previewText(),
                              QStringLiteral("2 keys would be invalidated."), 10000);
    invalidate->invalidate();
    QTRY_COMPARE_WITH_TIMEOUT(invalidate->logLines().size(), 1, 10000);
    QVERIFY(invalidate->logLines().first().endsWith(
        QStringLiteral("Invalidated tag products: 2 keys removed")));
    QCOMPARE(site.command({"EXISTS", "kucun:products:detail:1", "kucun:products:detail:2"}),
             QByteArrayLiteral(":0\r\n"));
    const HttpReply log = api(hub, "GET", QStringLiteral("/api/admin-log"));
    const QJsonObject last = log.json()[QStringLiteral("actions")].toArray().first().toObject();
    QCOMPARE(last.value(QStringLiteral("action")).toString(), QStringLiteral("invalidate-tag"));
    QCOMPARE(last.value(QStringLiteral("target")).toString(), QStringLiteral("products"));
    QCOMPARE(last.value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
    QCOMPARE(last.value(QStringLiteral("peer")).toString(), QStringLiteral("127.0.0.1"));
    // And in the window's own Admin log view.
    window.showPanel(kucun::MainWindow::Panel::AdminLog);
    QTRY_COMPARE_WITH_TIMEOUT(window.adminLogPanel()->visibleRowCount(), 1, 10000);
    QVERIFY(hub.stop());
}

void TestHubAttachment::viewerWindowDisablesEveryChange()
{
    HubProcess hub;
    QVERIFY(startHub(hub));
    kucun::test::WsSubscriber browser;
    QVERIFY(browser.open(QUrl(hub.readyLine.section(u' ', 2, 2).mid(3))));
    HubAttachment attachment(httpUrl(hub), kViewerKey, {}, false);
    kucun::MainWindow &window = attachment.window();
    attachment.start();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(window.isReadOnlyShown(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(window.clientsModel()->rowCount(), 1, 10000);

    const auto disabledWithReason = [&window](const QString &name) {
        const QWidget *control = window.findChild<QWidget *>(name);
        if (!control)
            return QStringLiteral("%1 not found").arg(name);
        if (control->isEnabled())
            return QStringLiteral("%1 is enabled").arg(name);
        if (!control->toolTip().contains(QStringLiteral("viewer key")))
            return QStringLiteral("%1 says: %2").arg(name, control->toolTip());
        return QString();
    };
    for (const QString &name : {QStringLiteral("invalidateButton"), QStringLiteral("deleteKey"),
                                QStringLiteral("setKeyTtl"), QStringLiteral("publishButton"),
                                QStringLiteral("disconnectClient"), QStringLiteral("demoRate")})
        QCOMPARE(disabledWithReason(name), QString());
    const QAction *demo = window.findChild<QAction *>(QStringLiteral("demoAction"));
    QVERIFY(!demo->isEnabled());
    QVERIFY(demo->toolTip().contains(QStringLiteral("viewer key")));

    // Asked all the same (a shortcut, a script), the window refuses and the hub is unchanged.
    kucun::PublishPanel *publish = window.publishPanel();
    publish->chooseType(QStringLiteral("order:status"));
    publish->setField(QStringLiteral("orderId"), QStringLiteral("SO-4242"));
    publish->setField(QStringLiteral("status"), QStringLiteral("shipped"));
    publish->setField(QStringLiteral("previousStatus"), QStringLiteral("paid"));
    QVERIFY(publish->publish());
    QTRY_VERIFY(
        publish->statusText().startsWith(QStringLiteral("Not sent: attached with the viewer key")));
    const HttpReply log = api(hub, "GET", QStringLiteral("/api/admin-log"));
    QCOMPARE(log.json()[QStringLiteral("actions")].toArray().size(), 0);
    QVERIFY(hub.stop());
}

void TestHubAttachment::restartedHubIsFollowedAndRefilled()
{
    const QMap<QString, QString> fixedPort{
        {QStringLiteral("HTTP_PORT"), QString::number(kucun::test::freeLoopbackPort())}};
    auto first = std::make_unique<HubProcess>();
    QVERIFY(startHub(*first, fixedPort));
    const QUrl url = httpUrl(*first);
    HubAttachment attachment(url, kAdminKey, {}, false);
    kucun::MainWindow &window = attachment.window();
    attachment.start();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(window.engineStateText().endsWith(QStringLiteral(": memory")), 10000);
    {
        kucun::test::WsSubscriber browser;
        QVERIFY(browser.open(QUrl(first->readyLine.section(u' ', 2, 2).mid(3))));
        QTRY_COMPARE_WITH_TIMEOUT(window.clientsModel()->rowCount(), 1, 10000);
        QVERIFY(first->stop());
    }

    // Gone: the window says so, keeps the last rows, greyed.
    QTRY_VERIFY_WITH_TIMEOUT(window.engineStateText().contains(QStringLiteral("reconnecting")),
                             10000);
    auto *panels = window.findChild<QTabWidget *>(QStringLiteral("panels"));
    QVERIFY(!panels->isEnabled());
    QCOMPARE(window.clientsModel()->rowCount(), 1);

    // Back, a new hub on the same address: its data, without restarting the window.
    HubProcess second;
    QVERIFY(startHub(second, fixedPort));
    QTRY_VERIFY_WITH_TIMEOUT(window.engineStateText().endsWith(QStringLiteral(": memory")), 20000);
    QVERIFY(panels->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(window.clientsModel()->rowCount(), 0, 10000);
    kucun::test::WsSubscriber browser;
    QVERIFY(browser.open(QUrl(second.readyLine.section(u' ', 2, 2).mid(3))));
    QTRY_COMPARE_WITH_TIMEOUT(window.clientsModel()->rowCount(), 1, 10000);
    QVERIFY(second.stop());
}

void TestHubAttachment::plainHttpToAnotherMachineIsWarnedAbout()
{
    // Not started: nothing goes over the network.
    HubAttachment away(QUrl(QStringLiteral("http://192.0.2.10:3003")), {}, {}, false);
    const auto *warning = away.window().findChild<QLabel *>(QStringLiteral("plainTextWarning"));
    QVERIFY(warning);
    QVERIFY(warning->toolTip().contains(QStringLiteral("unencrypted")));
    HubAttachment local(QUrl(QStringLiteral("http://127.0.0.1:3003")), {}, {}, false);
    QVERIFY(!local.window().findChild<QLabel *>(QStringLiteral("plainTextWarning")));
}

void TestHubAttachment::readOnlyWindowOpensReadOnlyWindows()
{
    kucun::HubConfig config;
    config.readOnly = true;
    HubAttachment first(QUrl(QStringLiteral("http://127.0.0.1:3003")), {}, config, true);
    QVERIFY(first.hub().isReadOnly());
    // File > Connect to hub… from it: not started, nothing goes over the network.
    HubAttachment *second
        = first.window().attachTo(QUrl(QStringLiteral("http://127.0.0.1:3004")), {});
    QVERIFY(second->hub().isReadOnly());
    QCOMPARE(second->hub().readOnlyReason(), first.hub().readOnlyReason());
    second->hub().stop();
    delete second;
}

void TestHubAttachment::certificateIsTrustedOnlyWhenTheUserSaysSo()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("this Qt has no TLS backend");
    kucun::test::TlsFiles pair;
    QString error;
    QVERIFY2(pair.make(m_home->path(), QStringLiteral("hub"), &error), qPrintable(error));
    HubProcess hub;
    QVERIFY(startHub(hub, {{QStringLiteral("HUB_TLS_CERT"), pair.certificate},
                           {QStringLiteral("HUB_TLS_KEY"), pair.key}}));
    const QUrl url = httpUrl(hub);
    QCOMPARE(url.scheme(), QStringLiteral("https"));

    {
        HubAttachment refused(url, kAdminKey, {}, false);
        int asked = 0;
        refused.setTrustDecider([&asked](const QUrl &, const QSslCertificate &, const QString &) {
            ++asked;
            return false;
        });
        refused.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            refused.window().engineStateText().contains(QStringLiteral("is not trusted")), 10000);
        QTRY_COMPARE(asked, 1);
        QCOMPARE(refused.hub().state(), HubLink::State::Failed);
        QVERIFY(HubAttachment::trustedCertificates(url).isEmpty());
    }
    HubAttachment trusting(url, kAdminKey, {}, false);
    QString shownWhy;
    trusting.setTrustDecider(
        [&shownWhy](const QUrl &, const QSslCertificate &, const QString &why) {
            shownWhy = why;
            return true;
        });
    trusting.start();
    QTRY_VERIFY_WITH_TIMEOUT(
        trusting.window().engineStateText().endsWith(QStringLiteral(": memory")), 10000);
    QVERIFY(shownWhy.contains(QStringLiteral("self-signed")));
    // Remembered for that hub: the next window trusts it without asking.
    QCOMPARE(HubAttachment::trustedCertificates(url),
             QList<QByteArray>{kucun::RemoteHub::certificateDigest(
                 QSslCertificate::fromPath(pair.certificate).front())});
    QVERIFY(hub.stop());
}

QTEST_MAIN(TestHubAttachment)
#include "tst_hubattachment.moc"
