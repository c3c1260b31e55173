#include "events/invalidationannouncer.h"
#include "events/localbus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using kucun::InvalidationCause;

class TestInvalidationAnnouncer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void requestsBecomeEvents_data();
    void requestsBecomeEvents();
    void cascadesAreNotAnnounced();
    void anEventOtherHubsWouldRefuseIsNotSent();

private:
    // Waits for a marker published after the announcements, so that "nothing else came" is
    // known without waiting a fixed time: the bus delivers in order.
    QList<QJsonObject> announcedBeforeMarker();

    std::unique_ptr<kucun::LocalBus> m_bus;
    std::unique_ptr<kucun::InvalidationAnnouncer> m_announcer;
    std::unique_ptr<QObject> m_context;
    QList<QJsonObject> m_received;
    bool m_markerSeen = false;
};

void TestInvalidationAnnouncer::init()
{
    m_bus = std::make_unique<kucun::LocalBus>(QStringLiteral("hub-test"));
    m_announcer = std::make_unique<kucun::InvalidationAnnouncer>(*m_bus);
    m_context = std::make_unique<QObject>();
    m_received.clear();
    m_markerSeen = false;
    m_bus->subscribe(QStringLiteral("channel:*"), m_context.get(),
                     [this](const QString &channel, const QByteArray &payload) {
                         if (channel == u"channel:marker") {
                             m_markerSeen = true;
                             return;
                         }
                         QCOMPARE(channel, QStringLiteral("channel:cache:invalidate"));
                         m_received.append(QJsonDocument::fromJson(payload).object());
                     });
}

void TestInvalidationAnnouncer::cleanup()
{
    m_context.reset();
    m_announcer.reset();
    m_bus.reset();
}

QList<QJsonObject> TestInvalidationAnnouncer::announcedBeforeMarker()
{
    m_bus->publish(QStringLiteral("channel:marker"), "{}");
    [&] { QTRY_VERIFY(m_markerSeen); }();
    return m_received;
}

void TestInvalidationAnnouncer::requestsBecomeEvents_data()
{
    QTest::addColumn<bool>("byTag");
    QTest::addColumn<QString>("target");
    QTest::addRow("tag") << true << "products:42";
    QTest::addRow("namespace prefix") << false << "products:list:";
    QTest::addRow("namespace glob") << false << "inventory:*";
}

void TestInvalidationAnnouncer::requestsBecomeEvents()
{
    QFETCH(bool, byTag);
    QFETCH(QString, target);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    if (byTag)
        m_announcer->tagInvalidated(target, 3, InvalidationCause::Request);
    else
        m_announcer->namespaceInvalidated(target, 3, InvalidationCause::Request);
    const QList<QJsonObject> events = announcedBeforeMarker();
    QCOMPARE(events.size(), 1);
    const QJsonObject &event = events.first();
    QCOMPARE(event.value("type").toString(), QStringLiteral("cache:invalidate"));
    QCOMPARE(event.value(byTag ? "tag" : "namespace").toString(), target);
    QVERIFY(!event.contains(byTag ? "namespace" : "tag"));
    QCOMPARE(event.value("source").toString(), QStringLiteral("hub-test"));
    QVERIFY(event.value("timestamp").toDouble() >= double(before));
}

void TestInvalidationAnnouncer::cascadesAreNotAnnounced()
{
    // Every hub got the event that caused the cascade and cascades on its own.
    m_announcer->tagInvalidated("products:42", 3, InvalidationCause::Cascade);
    m_announcer->namespaceInvalidated("products:list:", 5, InvalidationCause::Cascade);
    QCOMPARE(announcedBeforeMarker().size(), 0);
}

void TestInvalidationAnnouncer::anEventOtherHubsWouldRefuseIsNotSent()
{
    m_announcer->tagInvalidated(QString(300, u'x'), 1, InvalidationCause::Request);
    m_announcer->tagInvalidated("ok", 1, InvalidationCause::Request);
    const QList<QJsonObject> events = announcedBeforeMarker();
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().value("tag").toString(), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestInvalidationAnnouncer)
#include "tst_invalidationannouncer.moc"
