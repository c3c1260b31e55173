#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

#include <optional>
#include <utility>
#include <variant>

namespace kucun {

// One HTTP/1.x request as the HTTP side (SPEC §7) handles it.
struct HttpRequest
{
    QByteArray method;  // "GET", "POST", … as sent (methods are case-sensitive)
    QByteArray target;  // origin-form: path and query, e.g. "/api/keys?match=p*"
    int minorVersion = 1;  // HTTP/1.0 or HTTP/1.1
    QList<QPair<QByteArray, QByteArray>> headers;  // names lower-cased, values trimmed
    QByteArray body;
    bool keepAlive = true;  // the connection may carry another request after this one

    // The first header of that (lower-case) name; empty if none.
    QByteArray header(QByteArrayView name) const;
};

// A request refused before it is handled: the status to answer with (the connection is then
// closed) and why, for the body and the log.
struct HttpRefusal
{
    int status = 400;
    QByteArray reason;
};

// Reads HTTP/1.1 requests (RFC 9112) as their bytes arrive, one after the other on a
// keep-alive connection, and holds them to the limits of SPEC §7: a head (request line and
// headers) over `maxHeadBytes` is refused with 431, a body announced over `maxBodyBytes` with
// 413 as soon as its Content-Length is read, before any of it is taken. Bodies come with a
// Content-Length only: a Transfer-Encoding (chunked) is refused with 501, and with a
// Content-Length as well with 400, as is anything that lets two parsers disagree on where a
// request ends (two different lengths, a space before a header's colon, folded header lines).
// After a refusal it reads nothing more. Pure: no I/O, fuzzed.
class HttpRequestParser
{
public:
    struct Limits
    {
        qsizetype maxHeadBytes = 16 * 1024;
        qsizetype maxBodyBytes = 1024 * 1024;
    };
    using Result = std::variant<HttpRequest, HttpRefusal>;

    explicit HttpRequestParser(Limits limits);

    void append(QByteArrayView bytes);
    // The next whole request, or a refusal; nullopt until more bytes come.
    std::optional<Result> next();
    bool refused() const { return m_refused; }
    // Bytes held: the unfinished request.
    qsizetype bufferedBytes() const { return m_input.size(); }
    // What was received after the last request handed out (an upgraded connection's first
    // frames), taken out of the parser.
    QByteArray takeBuffered() { return std::exchange(m_input, {}); }
    // The head of a request whose body has not all come yet; null otherwise.
    const HttpRequest *waitingForBody() const { return m_request ? &*m_request : nullptr; }

private:
    Result refuse(int status, const char *why);
    std::optional<Result> parseHead(qsizetype headEnd);

    const Limits m_limits;
    QByteArray m_input;
    qsizetype m_scannedTo = 0;  // how much of m_input was searched for the head's end
    // A head read, waiting for its body.
    std::optional<HttpRequest> m_request;
    qsizetype m_bodyLength = 0;
    bool m_refused = false;
};

}  // namespace kucun
