#include "httprequestparser.h"

#include <algorithm>

namespace kucun {

namespace {

// RFC 9110 §5.6.2: the characters of a token (methods, header names).
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Field values may hold visible characters, spaces and tabs (and obs-text), no other controls.
bool isFieldValue(QByteArrayView text)
{
    for (const char c : text) {
        if ((uchar(c) < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimmedSpaces(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

bool hasToken(QByteArrayView list, QByteArrayView token)
{
    for (const QByteArray &part : list.toByteArray().split(',')) {
        if (trimmedSpaces(part).compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

}  // namespace

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[headerName, value] : headers) {
        if (headerName == name)
            return value;
    }
    return {};
}

HttpRequestParser::HttpRequestParser(Limits limits)
    : m_limits(limits)
{
}

void HttpRequestParser::append(QByteArrayView bytes)
{
    if (!m_refused)
        m_input.append(bytes);
}

HttpRequestParser::Result HttpRequestParser::refuse(int status, const char *why)
{
    m_refused = true;
    m_input.clear();
    m_request.reset();
    return HttpRefusal{status, QByteArray(why)};
}

std::optional<HttpRequestParser::Result> HttpRequestParser::next()
{
    if (m_refused)
        return std::nullopt;
    if (!m_request) {
        // RFC 9112 §2.2: empty lines before a request line are ignored.
        qsizetype blank = 0;
        while (m_input.sliced(blank).startsWith("\r\n"))
            blank += 2;
        if (blank > 0) {
            m_input.remove(0, blank);
            m_scannedTo = std::max<qsizetype>(0, m_scannedTo - blank);
        }
        // Search only what came since the last look (less the three bytes a "\r\n\r\n" split
        // across two reads may have left): a client sending a byte at a time must not make
        // every read rescan its whole head.
        const qsizetype headEnd
            = m_input.indexOf("\r\n\r\n", std::max<qsizetype>(0, m_scannedTo - 3));
        if (headEnd < 0) {
            m_scannedTo = m_input.size();
            if (m_input.size() > m_limits.maxHeadBytes)
                return refuse(431, "the request's head is longer than the hub accepts");
            return std::nullopt;
        }
        m_scannedTo = 0;
        if (headEnd + 4 > m_limits.maxHeadBytes)
            return refuse(431, "the request's head is longer than the hub accepts");
        if (auto refusal = parseHead(headEnd))
            return refusal;
        m_input.remove(0, headEnd + 4);
    }
    if (m_input.size() < m_bodyLength)
        return std::nullopt;
    HttpRequest request = std::move(*m_request);
    m_request.reset();
    request.body = m_input.first(m_bodyLength);
    m_input.remove(0, m_bodyLength);
    if (m_input.isEmpty())
        m_input = QByteArray();  // an idle connection holds no buffer
    return request;
}

std::optional<HttpRequestParser::Result> HttpRequestParser::parseHead(qsizetype headEnd)
{
    const QList<QByteArrayView> lines = [&] {
        QList<QByteArrayView> split;
        QByteArrayView rest = QByteArrayView(m_input).first(headEnd + 2);  // each line with CRLF
        while (!rest.isEmpty()) {
            const qsizetype end = rest.indexOf("\r\n");
            split.append(rest.first(end));
            rest = rest.sliced(end + 2);
        }
        return split;
    }();
    for (const QByteArrayView line : lines) {
        if (line.contains('\n') || line.contains('\r'))
            return refuse(400, "a line ends without CR LF");
    }

    HttpRequest request;
    const QList<QByteArray> requestLine = lines.front().toByteArray().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine[0]))
        return refuse(400, "not an HTTP request line");
    request.method = requestLine[0];
    request.target = requestLine[1];
    if (!request.target.startsWith('/') || !isFieldValue(request.target)
        || request.target.contains(' ') || request.target.contains('\t'))
        return refuse(400, "the target is not a path");
    if (requestLine[2] == "HTTP/1.1")
        request.minorVersion = 1;
    else if (requestLine[2] == "HTTP/1.0")
        request.minorVersion = 0;
    else if (requestLine[2].startsWith("HTTP/"))
        return refuse(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
    else
        return refuse(400, "not an HTTP request line");

    std::optional<qint64> contentLength;
    int hosts = 0;
    bool transferEncoding = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        if (line.startsWith(' ') || line.startsWith('\t'))
            return refuse(400, "a folded header line");
        const qsizetype colon = line.indexOf(':');
        // No space before the colon (RFC 9112 §5.1): parsers that trim it and parsers that do
        // not would see different headers.
        if (colon <= 0 || !isToken(line.first(colon)))
            return refuse(400, "a header line without a proper name");
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArrayView value = trimmedSpaces(line.sliced(colon + 1));
        if (!isFieldValue(value))
            return refuse(400, "a control character in a header");
        if (name == "content-length") {
            if (value.isEmpty() || value.size() > 18
                || !std::all_of(value.begin(), value.end(),
                                [](char c) { return c >= '0' && c <= '9'; }))
                return refuse(400, "Content-Length is not a number");
            const qint64 length = value.toLongLong();
            if (contentLength && *contentLength != length)
                return refuse(400, "two different Content-Length headers");
            contentLength = length;
        } else if (name == "transfer-encoding") {
            transferEncoding = true;
        } else if (name == "host") {
            ++hosts;
        }
        request.headers.append({name, value.toByteArray()});
    }
    if (transferEncoding && contentLength)
        return refuse(400, "both Transfer-Encoding and Content-Length");
    if (transferEncoding)
        return refuse(501, "request bodies are sent with a Content-Length here, not chunked");
    if (request.minorVersion == 1 && hosts != 1)
        return refuse(400, "an HTTP/1.1 request has exactly one Host header");
    if (contentLength && *contentLength > m_limits.maxBodyBytes)
        return refuse(413, "the request's body is larger than the hub accepts");

    const QByteArray connection = request.header("connection");
    request.keepAlive = request.minorVersion == 1 ? !hasToken(connection, "close")
                                                  : hasToken(connection, "keep-alive");
    m_bodyLength = contentLength.value_or(0);
    m_request = std::move(request);
    return std::nullopt;
}

}  // namespace kucun
