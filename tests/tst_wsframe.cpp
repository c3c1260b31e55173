#include "ws/wsframe.h"

#include <QTest>

class TestWsFrame : public QObject
{
    Q_OBJECT

private slots:
    void headerFollowsRfc6455_data();
    void headerFollowsRfc6455();
};

void TestWsFrame::headerFollowsRfc6455_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<QByteArray>("header");

    QTest::addRow("empty") << 0 << QByteArray("\x81\x00", 2);
    QTest::addRow("125: length in the first byte") << 125 << QByteArray("\x81\x7d");
    QTest::addRow("126: 16-bit length") << 126 << QByteArray("\x81\x7e\x00\x7e", 4);
    QTest::addRow("65535: largest 16-bit") << 65535 << QByteArray("\x81\x7e\xff\xff");
    QTest::addRow("65536: 64-bit length")
        << 65536 << QByteArray("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
}

void TestWsFrame::headerFollowsRfc6455()
{
    QFETCH(int, size);
    QFETCH(QByteArray, header);
    QByteArray payload(size, 'p');
    if (size > 0)
        payload[size - 1] = 'z';
    const QByteArray frame = kucun::textFrame(payload);
    QCOMPARE(frame.left(header.size()), header);
    QCOMPARE(frame.size(), header.size() + size);
    QCOMPARE(kucun::textFramePayload(frame), payload);
}

QTEST_GUILESS_MAIN(TestWsFrame)
#include "tst_wsframe.moc"
