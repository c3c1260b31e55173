// TLS from one PEM pair (HUB_TLS_CERT, HUB_TLS_KEY): https:// on the HTTP port and wss:// on the
// WebSocket port, with clients that trust the throwaway certificate and check it as browsers
// do (host name included); a client that does not trust it, and one that speaks plain HTTP to
// the TLS port, get nothing, and the hub goes on serving.

#include "support/httptesting.h"
#include "support/tlsfiles.h"

#include <QJsonObject>
#include <QSslSocket>
#include <QTcpSocket>
#include <QWebSocket>

using kucun::HubConfig;
using kucun::test::HttpReply;
using kucun::test::RunningHub;

class TestHttpTls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void readyUrlsSayTls();
    void httpsWithTheTrustedCertificate();
    void untrustedCertificateIsRefusedByTheClient();
    void plainTextToTheTlsPortChangesNothing();
    void wssWelcomesAndDelivers();

private:
    QSslConfiguration trusting() const;

    QTemporaryDir m_files;
    kucun::test::TlsFiles m_pair;
    std::unique_ptr<RunningHub> m_hub;
    QNetworkAccessManager m_network;
};

void TestHttpTls::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("this Qt has no TLS backend");
    QString error;
    QVERIFY2(m_pair.make(m_files.path(), QStringLiteral("hub"), &error), qPrintable(error));
    HubConfig config;
    QVERIFY(!config.tls.loadCertificates(m_pair.certificate));
    QVERIFY(!config.tls.loadKey(m_pair.key));
    QVERIFY(config.tls.keyMatchesCertificate());
    m_hub = std::make_unique<RunningHub>(config);
    QVERIFY(m_hub->start());
}

void TestHttpTls::cleanupTestCase()
{
    m_hub.reset();
}

QSslConfiguration TestHttpTls::trusting() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(m_pair.certificate));
    return configuration;
}

void TestHttpTls::readyUrlsSayTls()
{
    QCOMPARE(m_hub->host.httpUrl().scheme(), QStringLiteral("https"));
    QCOMPARE(m_hub->host.wsUrl().scheme(), QStringLiteral("wss"));
}

void TestHttpTls::httpsWithTheTrustedCertificate()
{
    QNetworkRequest request(m_hub->url(QStringLiteral("/healthz")));
    request.setSslConfiguration(trusting());
    QNetworkReply *reply = m_network.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value("status").toString(),
             QStringLiteral("ok"));
    QVERIFY(reply->sslConfiguration().sessionProtocol() >= QSsl::TlsV1_2);
    reply->deleteLater();
}

void TestHttpTls::untrustedCertificateIsRefusedByTheClient()
{
    // Without our certificate among the trusted ones, a checking client refuses the hub. (A
    // manager of its own: m_network would reuse its trusted connection.)
    QNetworkAccessManager network;
    const HttpReply reply = kucun::test::httpCall(network, "GET", m_hub->url("/healthz"));
    QCOMPARE(reply.status, 0);
    QVERIFY(!reply.error.isEmpty());
}

void TestHttpTls::plainTextToTheTlsPortChangesNothing()
{
    QTcpSocket plain;
    plain.connectToHost(QHostAddress::LocalHost, m_hub->host.httpUrl().port());
    QVERIFY(plain.waitForConnected(5000));
    plain.write("GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(plain.state(), QAbstractSocket::UnconnectedState, 15000);
    QVERIFY(!plain.readAll().contains("200 OK"));
    httpsWithTheTrustedCertificate();
}

void TestHttpTls::wssWelcomesAndDelivers()
{
    QWebSocket client;
    client.setSslConfiguration(trusting());
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(m_hub->host.wsUrl());
    QVERIFY(received.wait(10000));
    QCOMPARE(QJsonDocument::fromJson(received.first().first().toString().toUtf8())
                 .object()
                 .value("type")
                 .toString(),
             QStringLiteral("welcome"));
    client.sendTextMessage(R"({"type":"subscribe","channel":"orders"})");
    QTRY_COMPARE(received.size(), 2);
    QNetworkRequest request(m_hub->url(QStringLiteral("/api/publish")));
    request.setSslConfiguration(trusting());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply
        = m_network.post(request, QByteArrayLiteral(R"({"channel":"orders","data":"over TLS"})"));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();
    QTRY_COMPARE(received.size(), 3);
    QCOMPARE(QJsonDocument::fromJson(received.last().first().toString().toUtf8())
                 .object()
                 .value("data")
                 .toString(),
             QStringLiteral("over TLS"));
}

QTEST_MAIN(TestHttpTls)
#include "tst_httptls.moc"
