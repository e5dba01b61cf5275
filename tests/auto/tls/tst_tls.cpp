// SPDX-License-Identifier: MIT
// TLS: the server over https/wss with the library's Qt client as the peer, a certificate
// replaced while listening, plain clients refused without harm, bind(QSslServer*).

#include <SocketIo/client.h>
#include <SocketIo/engineserver.h>
#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace SocketIo;
using namespace std::chrono_literals;

namespace {

// A self-signed certificate for localhost/127.0.0.1 made by openssl in dir: NAME.pem, NAME.key.
bool makeCertificate(const QTemporaryDir &dir, const QString &name,
                     const QString &keyType = QStringLiteral("rsa:2048"))
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        qWarning("openssl not found (scripts/install-deps installs it)");
        return false;
    }
    QProcess process;
    QStringList args{ QStringLiteral("req"),
                      QStringLiteral("-x509"),
                      QStringLiteral("-nodes"),
                      QStringLiteral("-days"),
                      QStringLiteral("2"),
                      QStringLiteral("-subj"),
                      QStringLiteral("/CN=localhost"),
                      QStringLiteral("-addext"),
                      QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"),
                      QStringLiteral("-keyout"),
                      dir.filePath(name + QStringLiteral(".key")),
                      QStringLiteral("-out"),
                      dir.filePath(name + QStringLiteral(".pem")) };
    if (keyType.startsWith(QLatin1String("ec")))
        args << QStringLiteral("-newkey") << QStringLiteral("ec") << QStringLiteral("-pkeyopt")
             << QStringLiteral("ec_paramgen_curve:prime256v1");
    else
        args << QStringLiteral("-newkey") << keyType;
    process.start(openssl, args);
    if (!process.waitForFinished(60000) || process.exitCode() != 0) {
        qWarning() << "openssl failed:" << process.readAllStandardError();
        return false;
    }
    return true;
}

// "/" greets with "hello" and echoes "message" with an ack; remembers the handshakes' secure flag.
struct EchoServer
{
    Server server;
    QList<bool> secure;

    EchoServer()
    {
        QObject::connect(server.of(QStringLiteral("/")), &Namespace::socketConnected, &server,
                         [this](Socket *socket) {
                             secure.append(socket->handshake().secure);
                             socket->emitEvent(QStringLiteral("hello"), { QStringLiteral("tls") });
                             QObject::connect(socket, &Socket::eventReceived, socket,
                                              [](const QString &, const QVariantList &args, const Ack &ack) {
                                                  ack.send(args);
                                              });
                         });
    }
};

ManagerOptions clientOptions(const QString &caFile, Transports transports)
{
    ManagerOptions options;
    options.caFile = caFile;
    options.transports = transports;
    options.reconnection = false;
    options.timeout = 10s;
    return options;
}

QUrl httpsUrl(quint16 port)
{
    return QUrl(QStringLiteral("https://localhost:%1").arg(port));
}

} // namespace

class tst_Tls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void loadConfiguration();
    void loadConfigurationErrors();
    void connectEchoUpgrade_data();
    void connectEchoUpgrade();
    void certificateReplacedWhileListening();
    void plainClientRefusedServerUnharmed();
    void bindSslServer();

private:
    QTemporaryDir m_dir;
    QSslConfiguration m_config;
};

void tst_Tls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(makeCertificate(m_dir, QStringLiteral("a")));
    QVERIFY(makeCertificate(m_dir, QStringLiteral("b"), QStringLiteral("ec")));
    QString error;
    const auto config = EngineServer::loadSslConfiguration(m_dir.filePath(QStringLiteral("a.pem")),
                                                           m_dir.filePath(QStringLiteral("a.key")), &error);
    QVERIFY2(config, qPrintable(error));
    m_config = *config;
}

void tst_Tls::loadConfiguration()
{
    QCOMPARE(m_config.localCertificateChain().size(), 1);
    QVERIFY(!m_config.privateKey().isNull());
    QCOMPARE(m_config.privateKey().algorithm(), QSsl::Rsa);
    const auto ec = EngineServer::loadSslConfiguration(m_dir.filePath(QStringLiteral("b.pem")),
                                                       m_dir.filePath(QStringLiteral("b.key")));
    QVERIFY(ec);
    QCOMPARE(ec->privateKey().algorithm(), QSsl::Ec);
}

void tst_Tls::loadConfigurationErrors()
{
    QString error;
    QVERIFY(!EngineServer::loadSslConfiguration(m_dir.filePath(QStringLiteral("missing.pem")),
                                                m_dir.filePath(QStringLiteral("a.key")), &error));
    QVERIFY2(error.contains(QLatin1String("cannot read")), qPrintable(error));
    // A key where the certificate should be, and the reverse.
    QVERIFY(!EngineServer::loadSslConfiguration(m_dir.filePath(QStringLiteral("a.key")),
                                                m_dir.filePath(QStringLiteral("a.key")), &error));
    QVERIFY2(error.contains(QLatin1String("no PEM certificate")), qPrintable(error));
    QVERIFY(!EngineServer::loadSslConfiguration(m_dir.filePath(QStringLiteral("a.pem")),
                                                m_dir.filePath(QStringLiteral("a.pem")), &error));
    QVERIFY2(error.contains(QLatin1String("private key")), qPrintable(error));
}

void tst_Tls::connectEchoUpgrade_data()
{
    QTest::addColumn<Transports>("transports");
    QTest::addColumn<Transport>("finalTransport");
    QTest::newRow("https polling + upgrade to wss")
        << (Transport::Polling | Transport::WebSocket) << Transport::WebSocket;
    QTest::newRow("https polling only") << Transports(Transport::Polling) << Transport::Polling;
    QTest::newRow("wss only") << Transports(Transport::WebSocket) << Transport::WebSocket;
}

void tst_Tls::connectEchoUpgrade()
{
    QFETCH(Transports, transports);
    QFETCH(Transport, finalTransport);
    EchoServer echo;
    echo.server.engine()->setSslConfiguration(m_config);
    QVERIFY(echo.server.listen(QHostAddress::LocalHost, 0));
    Manager manager(httpsUrl(echo.server.serverPort()),
                    clientOptions(m_dir.filePath(QStringLiteral("a.pem")), transports));
    ClientSocket *socket = manager.socket();
    QSignalSpy connected(socket, &ClientSocket::connected);
    QSignalSpy events(socket, &ClientSocket::eventReceived);
    QSignalSpy errors(socket, &ClientSocket::connectErrorOccurred);
    socket->open();
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 15000);
    QCOMPARE(errors.count(), 0);
    QTRY_COMPARE(events.count(), 1);
    QCOMPARE(events.at(0).at(0).toString(), QStringLiteral("hello"));
    QCOMPARE(echo.secure, QList<bool>{ true });
    if (finalTransport == Transport::WebSocket)
        QTRY_COMPARE(manager.transport(), Transport::WebSocket);
    bool answered = false;
    QVariantList reply;
    socket->emitEvent(
        QStringLiteral("message"), { QStringLiteral("over tls"), QByteArray("\x00\x01", 2) }, this,
        [&](AckStatus status, const QVariantList &args) {
            answered = status == AckStatus::Received;
            reply = args;
        },
        10s);
    QTRY_VERIFY(answered);
    QCOMPARE(reply, (QVariantList{ QStringLiteral("over tls"), QByteArray("\x00\x01", 2) }));
    QCOMPARE(manager.transport(), finalTransport);
}

void tst_Tls::certificateReplacedWhileListening()
{
    EchoServer echo;
    echo.server.engine()->setSslConfiguration(m_config);
    QVERIFY(echo.server.listen(QHostAddress::LocalHost, 0));
    const QUrl url = httpsUrl(echo.server.serverPort());
    Manager first(url, clientOptions(m_dir.filePath(QStringLiteral("a.pem")), Transport::WebSocket));
    QSignalSpy firstConnected(first.socket(), &ClientSocket::connected);
    first.socket()->open();
    QTRY_COMPARE_WITH_TIMEOUT(firstConnected.count(), 1, 15000);

    // The renewed certificate: new connections get it; the open one stays.
    const auto renewed = EngineServer::loadSslConfiguration(m_dir.filePath(QStringLiteral("b.pem")),
                                                            m_dir.filePath(QStringLiteral("b.key")));
    QVERIFY(renewed);
    echo.server.engine()->setSslConfiguration(*renewed);
    QCOMPARE(echo.server.engine()->sslConfiguration().privateKey().algorithm(), QSsl::Ec);

    // A client trusting only the old certificate now fails the handshake...
    Manager stale(url, clientOptions(m_dir.filePath(QStringLiteral("a.pem")), Transport::WebSocket));
    QSignalSpy staleError(&stale, &Manager::errorOccurred);
    stale.socket()->open();
    QTRY_VERIFY_WITH_TIMEOUT(staleError.count() >= 1, 15000);
    // ...one trusting the new one connects.
    Manager fresh(url, clientOptions(m_dir.filePath(QStringLiteral("b.pem")), Transport::WebSocket));
    QSignalSpy freshConnected(fresh.socket(), &ClientSocket::connected);
    fresh.socket()->open();
    QTRY_COMPARE_WITH_TIMEOUT(freshConnected.count(), 1, 15000);
    QVERIFY(first.socket()->isConnected());
    QCOMPARE(echo.server.of(QStringLiteral("/"))->sockets().size(), 2);
}

void tst_Tls::plainClientRefusedServerUnharmed()
{
    EchoServer echo;
    echo.server.engine()->setSslConfiguration(m_config);
    QVERIFY(echo.server.listen(QHostAddress::LocalHost, 0));
    // Plain HTTP to the TLS port: the handshake fails, nothing is served.
    QNetworkAccessManager nam;
    QNetworkReply *reply =
        nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/socket.io/?EIO=4&transport=polling")
                                         .arg(echo.server.serverPort()))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 15000);
    QVERIFY(reply->error() != QNetworkReply::NoError);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 0);
    reply->deleteLater();
    QCOMPARE(echo.server.engine()->sessionCount(), 0);
    // A TLS client right after is served.
    Manager manager(httpsUrl(echo.server.serverPort()),
                    clientOptions(m_dir.filePath(QStringLiteral("a.pem")), Transport::Polling));
    QSignalSpy connected(manager.socket(), &ClientSocket::connected);
    manager.socket()->open();
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 15000);
}

// EngineServer::bind() with a QSslServer the application set up (Qt 6.4's QSslServer only
// emits pendingConnectionAvailable).
void tst_Tls::bindSslServer()
{
    QSslServer ssl;
    ssl.setSslConfiguration(m_config);
    QVERIFY(ssl.listen(QHostAddress::LocalHost, 0));
    EchoServer echo;
    QVERIFY(echo.server.bind(&ssl));
    Manager manager(
        httpsUrl(ssl.serverPort()),
        clientOptions(m_dir.filePath(QStringLiteral("a.pem")), Transport::Polling | Transport::WebSocket));
    QSignalSpy connected(manager.socket(), &ClientSocket::connected);
    manager.socket()->open();
    QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 15000);
    QCOMPARE(echo.secure, QList<bool>{ true });
    QTRY_COMPARE(manager.transport(), Transport::WebSocket);
    echo.server.close();
}

QTEST_MAIN(tst_Tls)
#include "tst_tls.moc"
