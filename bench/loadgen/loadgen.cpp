// SPDX-License-Identifier: MIT
// socketio-loadgen: a Socket.IO v5 / Engine.IO v4 load generator for the side-by-side benchmark.
// One thread, epoll, plain sockets, no Qt. WebSocket (client frames masked, pre-encoded) and HTTP
// long-polling. Closed loop (a fixed number of messages in flight) or open loop (a fixed rate,
// latency measured from the scheduled send time). Prints one JSON object on stdout.
//
// Handlers the servers implement (bench/servers/*): "echo" (ack with the same args),
// "broadcast" (room, count, payload: emit "msg" payload count times to the room, or to everyone
// but the sender when room is ""), "join" (room, ack), "chat" (room, payload: emit "chat" to the
// room but the sender, ack).

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double nowSeconds()
{
    return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

[[noreturn]] void die(const char *what)
{
    std::fprintf(stderr, "loadgen: %s: %s\n", what, std::strerror(errno));
    std::exit(2);
}

// --- options -------------------------------------------------------------------------------

struct Options
{
    std::string host = "127.0.0.1";
    int port = 3000;
    std::string path = "/socket.io/";
    std::string mode = "echo"; // connect | echo | broadcast | idle | chat
    std::string transport = "websocket"; // websocket | polling | upgrade
    int clients = 100; // active clients (echo, chat), receivers (broadcast), connections (connect, idle)
    int idle = 0; // extra idle clients connected first
    int size = 32; // payload bytes
    int inflight = 1; // per client (echo) or broadcasts in flight (broadcast)
    int rooms = 0; // broadcast: 0 = everyone; N = receivers split over N rooms, one room per trigger
    int count = 1; // broadcast: emits per trigger
    double rate = 0; // chat: messages per second overall (open loop)
    double warmup = 1.0; // seconds of load before measuring
    double duration = 3.0; // measured seconds
    long messages = 0; // if > 0: stop the measurement after this many operations instead
    int concurrency = 200; // connect: handshakes in flight
    double hold = 1.0; // idle: seconds to wait after connecting before reading the RSS
    std::vector<int> steps; // idle: also read the RSS after this many clients (ascending)
    int serverPid = 0; // for CPU and RSS accounting
    int serverCpu = 0; // the server's core
    int genCpu = 1; // ours
    // The msgpack parser (socket.io-msgpack-parser, docs/msgpack.md): connect and echo over
    // WebSocket only; every packet a binary frame.
    bool msgpack = false;
};

// --- accounting ----------------------------------------------------------------------------

struct CpuTimes
{
    unsigned long long busy = 0, total = 0;
};

CpuTimes readCpu(int cpu)
{
    CpuTimes t;
    FILE *f = std::fopen("/proc/stat", "r");
    if (!f)
        return t;
    char line[512];
    char want[16];
    std::snprintf(want, sizeof want, "cpu%d ", cpu);
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, want, std::strlen(want)) != 0)
            continue;
        unsigned long long v[10] = {};
        std::sscanf(line + std::strlen(want), "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
                    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
        // user nice system idle iowait irq softirq steal (guest is inside user)
        t.busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
        t.total = t.busy + v[3] + v[4];
        break;
    }
    std::fclose(f);
    return t;
}

// utime + stime of a process, in clock ticks (all its threads).
unsigned long long readProcTicks(int pid)
{
    if (pid <= 0)
        return 0;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = std::fopen(path, "r");
    if (!f)
        return 0;
    char buf[2048];
    size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    const char *p = std::strrchr(buf, ')');
    if (!p)
        return 0;
    // fields after ")": state(3) ... utime is field 14, stime 15
    unsigned long long utime = 0, stime = 0;
    int field = 2;
    for (const char *c = p + 1; *c; ++c) {
        if (*c == ' ') {
            ++field;
            if (field == 14)
                utime = std::strtoull(c + 1, nullptr, 10);
            else if (field == 15) {
                stime = std::strtoull(c + 1, nullptr, 10);
                break;
            }
        }
    }
    return utime + stime;
}

long readRssKb(int pid)
{
    if (pid <= 0)
        return 0;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = std::fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    long kb = 0;
    while (std::fgets(line, sizeof line, f)) {
        if (std::strncmp(line, "VmRSS:", 6) == 0) {
            kb = std::strtol(line + 6, nullptr, 10);
            break;
        }
    }
    std::fclose(f);
    return kb;
}

double selfCpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
        + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Window
{
    double t0 = 0, t1 = 0;
    CpuTimes s0, s1, g0, g1;
    unsigned long long p0 = 0, p1 = 0;
    double self0 = 0, self1 = 0;
    void start(const Options &o)
    {
        t0 = nowSeconds();
        s0 = readCpu(o.serverCpu);
        g0 = readCpu(o.genCpu);
        p0 = readProcTicks(o.serverPid);
        self0 = selfCpuSeconds();
    }
    void stop(const Options &o)
    {
        t1 = nowSeconds();
        s1 = readCpu(o.serverCpu);
        g1 = readCpu(o.genCpu);
        p1 = readProcTicks(o.serverPid);
        self1 = selfCpuSeconds();
    }
};

// --- Engine.IO / Socket.IO framing -----------------------------------------------------------

const unsigned char kMask[4] = { 0x37, 0xfa, 0x21, 0x3d };

// A masked client frame (FIN, opcode) around payload.
std::string wsFrame(int opcode, const std::string &payload)
{
    std::string f;
    f.push_back(char(0x80 | opcode));
    const size_t n = payload.size();
    if (n < 126) {
        f.push_back(char(0x80 | n));
    } else if (n < 65536) {
        f.push_back(char(0x80 | 126));
        f.push_back(char(n >> 8));
        f.push_back(char(n & 0xff));
    } else {
        f.push_back(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            f.push_back(char((uint64_t(n) >> (8 * i)) & 0xff));
    }
    f.append(reinterpret_cast<const char *>(kMask), 4);
    const size_t start = f.size();
    f += payload;
    for (size_t i = 0; i < n; ++i)
        f[start + i] = char(uint8_t(f[start + i]) ^ kMask[i % 4]);
    return f;
}

// A pre-encoded text frame with an ack id field of fixed width that is patched per send.
struct AckTemplate
{
    std::string frame;
    size_t idPos = 0; // in frame
    size_t idPayloadPos = 0; // in payload, for the mask phase
    static constexpr int kWidth = 9;
    // text: "42" + ID + rest
    static AckTemplate make(const std::string &head, const std::string &rest, bool ws)
    {
        AckTemplate t;
        std::string payload = head + std::string(kWidth, '0') + rest;
        if (ws) {
            t.frame = wsFrame(1, payload);
            t.idPos = t.frame.size() - payload.size() + head.size();
        } else {
            t.frame = payload;
            t.idPos = head.size();
        }
        t.idPayloadPos = head.size();
        return t;
    }
    void patch(std::string &out, uint64_t id, bool ws) const
    {
        out.append(frame);
        char *p = &out[out.size() - frame.size() + idPos];
        for (int i = kWidth - 1; i >= 0; --i) {
            char c = char('0' + id % 10);
            id /= 10;
            if (ws)
                c = char(uint8_t(c) ^ kMask[(idPayloadPos + size_t(i)) % 4]);
            p[i] = c;
        }
    }
};

// --- msgpack (the msgpack parser's packets, as notepack writes them) --------------------------

std::string mpStr(const std::string &s)
{
    std::string out;
    const size_t n = s.size();
    if (n < 32) {
        out.push_back(char(0xa0 | n));
    } else if (n < 256) {
        out.push_back(char(0xd9));
        out.push_back(char(n));
    } else if (n < 65536) {
        out.push_back(char(0xda));
        out.push_back(char(n >> 8));
        out.push_back(char(n & 0xff));
    } else {
        out.push_back(char(0xdb));
        for (int i = 3; i >= 0; --i)
            out.push_back(char((n >> (8 * i)) & 0xff));
    }
    return out + s;
}

// An EVENT {type: 2, data: [event, ...], id: <uint32, patched per send>, nsp: "/"} as a masked
// binary frame.
struct MsgpackAckTemplate
{
    std::string frame;
    size_t idPos = 0; // in frame: the 4 bytes after 0xce
    size_t idPayloadPos = 0;
    static MsgpackAckTemplate make(const std::string &data)
    {
        MsgpackAckTemplate t;
        const std::string head =
            "\x84" + mpStr("type") + "\x02" + mpStr("data") + data + mpStr("id") + "\xce";
        const std::string payload = head + std::string(4, '\0') + mpStr("nsp") + mpStr("/");
        t.frame = wsFrame(2, payload);
        t.idPayloadPos = head.size();
        t.idPos = t.frame.size() - payload.size() + head.size();
        return t;
    }
    void patch(std::string &out, uint64_t id) const
    {
        out.append(frame);
        char *p = &out[out.size() - frame.size() + idPos];
        for (int i = 0; i < 4; ++i)
            p[i] = char(uint8_t(id >> (8 * (3 - i))) ^ kMask[(idPayloadPos + size_t(i)) % 4]);
    }
};

// Skips one msgpack value at p[*pos]; false when it runs past n.
bool mpSkip(const uint8_t *p, size_t n, size_t *pos, int depth = 0)
{
    if (*pos >= n || depth > 64)
        return false;
    const uint8_t b = p[(*pos)++];
    auto be = [&](int bytes, uint64_t *v) {
        if (*pos + size_t(bytes) > n)
            return false;
        *v = 0;
        for (int i = 0; i < bytes; ++i)
            *v = (*v << 8) | p[(*pos)++];
        return true;
    };
    auto skipBytes = [&](uint64_t len) {
        if (*pos + len > n)
            return false;
        *pos += size_t(len);
        return true;
    };
    auto items = [&](uint64_t count) {
        for (uint64_t i = 0; i < count; ++i) {
            if (!mpSkip(p, n, pos, depth + 1))
                return false;
        }
        return true;
    };
    uint64_t v = 0;
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
        return true;
    if ((b & 0xe0) == 0xa0)
        return skipBytes(b & 0x1f);
    if ((b & 0xf0) == 0x90)
        return items(b & 0x0f);
    if ((b & 0xf0) == 0x80)
        return items(2 * (b & 0x0f));
    switch (b) {
    case 0xcc:
    case 0xd0:
        return skipBytes(1);
    case 0xcd:
    case 0xd1:
        return skipBytes(2);
    case 0xce:
    case 0xd2:
    case 0xca:
        return skipBytes(4);
    case 0xcf:
    case 0xd3:
    case 0xcb:
        return skipBytes(8);
    case 0xd9:
    case 0xc4:
        return be(1, &v) && skipBytes(v);
    case 0xda:
    case 0xc5:
        return be(2, &v) && skipBytes(v);
    case 0xdb:
    case 0xc6:
        return be(4, &v) && skipBytes(v);
    case 0xd4:
        return skipBytes(2);
    case 0xd5:
        return skipBytes(3);
    case 0xd6:
        return skipBytes(5);
    case 0xd7:
        return skipBytes(9);
    case 0xd8:
        return skipBytes(17);
    case 0xc7:
        return be(1, &v) && skipBytes(v + 1);
    case 0xc8:
        return be(2, &v) && skipBytes(v + 1);
    case 0xc9:
        return be(4, &v) && skipBytes(v + 1);
    case 0xdc:
        return be(2, &v) && items(v);
    case 0xdd:
        return be(4, &v) && items(v);
    case 0xde:
        return be(2, &v) && items(2 * v);
    case 0xdf:
        return be(4, &v) && items(2 * v);
    default:
        return false;
    }
}

// A non-negative integer at p[*pos] (positive fixint, uint 8/16/32/64); false otherwise.
bool mpUint(const uint8_t *p, size_t n, size_t *pos, uint64_t *out)
{
    if (*pos >= n)
        return false;
    const uint8_t b = p[*pos];
    int bytes = b <= 0x7f ? 0 : b == 0xcc ? 1 : b == 0xcd ? 2 : b == 0xce ? 4 : b == 0xcf ? 8 : -1;
    if (bytes < 0 || *pos + 1 + size_t(bytes) > n)
        return false;
    ++*pos;
    *out = bytes == 0 ? b : 0;
    for (int i = 0; i < bytes; ++i)
        *out = (*out << 8) | p[(*pos)++];
    return true;
}

// The type and id of a packet {type, data, nsp, id?}; false when it is not such a map.
bool mpPacket(const uint8_t *p, size_t n, uint64_t *type, uint64_t *id)
{
    size_t pos = 0;
    if (n == 0 || (p[0] & 0xf0) != 0x80)
        return false;
    const int pairs = p[0] & 0x0f;
    pos = 1;
    *id = UINT64_MAX;
    *type = UINT64_MAX;
    for (int i = 0; i < pairs; ++i) {
        if (pos >= n || (p[pos] & 0xe0) != 0xa0)
            return false;
        const size_t keyLen = p[pos] & 0x1f;
        const std::string key(reinterpret_cast<const char *>(p + pos + 1), std::min(keyLen, n - pos - 1));
        pos += 1 + keyLen;
        if (key == "type") {
            if (!mpUint(p, n, &pos, type))
                return false;
        } else if (key == "id") {
            if (!mpUint(p, n, &pos, id))
                return false;
        } else if (!mpSkip(p, n, &pos)) {
            return false;
        }
    }
    return *type != UINT64_MAX;
}

std::string jsonString(int size, char fill)
{
    return "\"" + std::string(size_t(std::max(0, size)), fill) + "\"";
}

// --- connections ---------------------------------------------------------------------------

enum class Role { Idle, Echo, Sender, Receiver, Chat, Connect };
enum class Phase {
    TcpConnecting,
    WsHandshake, // waiting for 101
    WsOpen, // waiting for the Engine.IO open packet
    WsConnecting, // sent 40, waiting for 40{sid}
    PollHandshake, // GET sent, waiting for open
    PollConnect, // POST 40 sent / GET for 40{sid}
    UpgradeProbe, // WebSocket to an existing sid: 2probe sent
    Ready,
    Dead
};

struct Client;

struct HttpReader
{
    // A minimal HTTP/1.1 response reader (Content-Length or chunked).
    std::string buf;
    int status = 0;
    // returns true with body when one whole response is in buf
    bool next(std::string &body, int &statusOut)
    {
        const size_t headEnd = buf.find("\r\n\r\n");
        if (headEnd == std::string::npos)
            return false;
        int st = std::atoi(buf.c_str() + 9);
        long contentLength = -1;
        bool chunked = false;
        size_t pos = buf.find("\r\n") + 2;
        while (pos < headEnd) {
            size_t eol = buf.find("\r\n", pos);
            std::string line = buf.substr(pos, eol - pos);
            for (size_t i = 0; i < line.size() && line[i] != ':'; ++i)
                line[i] = char(std::tolower(uint8_t(line[i])));
            if (line.rfind("content-length:", 0) == 0)
                contentLength = std::strtol(line.c_str() + 15, nullptr, 10);
            else if (line.rfind("transfer-encoding:", 0) == 0 && line.find("chunked") != std::string::npos)
                chunked = true;
            pos = eol + 2;
        }
        size_t bodyStart = headEnd + 4;
        if (chunked) {
            std::string out;
            size_t p = bodyStart;
            for (;;) {
                size_t eol = buf.find("\r\n", p);
                if (eol == std::string::npos)
                    return false;
                long n = std::strtol(buf.c_str() + p, nullptr, 16);
                if (buf.size() < eol + 2 + size_t(n) + 2)
                    return false;
                if (n == 0) {
                    buf.erase(0, eol + 4);
                    break;
                }
                out.append(buf, eol + 2, size_t(n));
                p = eol + 2 + size_t(n) + 2;
            }
            body = std::move(out);
        } else {
            if (contentLength < 0)
                contentLength = 0;
            if (buf.size() < bodyStart + size_t(contentLength))
                return false;
            body = buf.substr(bodyStart, size_t(contentLength));
            buf.erase(0, bodyStart + size_t(contentLength));
        }
        statusOut = st;
        return true;
    }
};

struct Conn
{
    int fd = -1;
    Client *client = nullptr;
    bool isPollGet = false; // polling: the GET connection (else POST or WebSocket)
    bool http = false; // incoming bytes are HTTP responses (polling), else WebSocket
    std::string out;
    std::string in;
    HttpReader reader;
    bool wantWrite = false;
};

struct Client
{
    int index = 0;
    Role role = Role::Idle;
    Phase phase = Phase::TcpConnecting;
    bool polling = false; // stays on long-polling
    bool upgrade = false; // polling, then upgrade
    std::string sid;
    Conn ws; // the WebSocket connection (or polling GET)
    Conn post; // polling: POST connection
    bool getInFlight = false;
    bool postInFlight = false;
    std::string postQueue; // packets waiting for the POST connection (joined with \x1e)
    int room = -1;
    bool joined = false;
    double started = 0; // connect start
    // echo: send times of outstanding acks by id
    std::deque<std::pair<uint64_t, double>> pending;
    uint64_t nextId = 1;
};

struct Stats
{
    long ops = 0;
    long deliveries = 0;
    long errors = 0;
    std::vector<float> latUs;
    bool measuring = false;
    void latency(double seconds)
    {
        if (measuring)
            latUs.push_back(float(seconds * 1e6));
    }
};

class LoadGen
{
public:
    explicit LoadGen(Options o)
        : m_o(std::move(o))
    {
        m_ep = epoll_create1(0);
        if (m_ep < 0)
            die("epoll_create1");
        std::memset(&m_addr, 0, sizeof m_addr);
        m_addr.sin_family = AF_INET;
        m_addr.sin_port = htons(uint16_t(m_o.port));
        inet_pton(AF_INET, m_o.host.c_str(), &m_addr.sin_addr);
        const std::string payload = jsonString(m_o.size, 'x');
        m_echoWs = AckTemplate::make("42", "[\"echo\"," + payload + "]", true);
        m_echoPoll = AckTemplate::make("42", "[\"echo\"," + payload + "]", false);
        m_chatWs.resize(size_t(std::max(1, m_o.rooms)));
        for (size_t r = 0; r < m_chatWs.size(); ++r)
            m_chatWs[r] =
                AckTemplate::make("42", "[\"chat\",\"r" + std::to_string(r) + "\"," + payload + "]", true);
        m_pongWs = wsFrame(1, "3");
        m_connectWs = wsFrame(1, "40");
        if (m_o.msgpack) {
            m_connectWs =
                wsFrame(2, "\x82" + mpStr("type") + std::string(1, '\0') + mpStr("nsp") + mpStr("/"));
            m_echoMp =
                MsgpackAckTemplate::make("\x92" + mpStr("echo") + mpStr(std::string(size_t(m_o.size), 'x')));
        }
        m_probeWs = wsFrame(1, "2probe");
        m_upgradeWs = wsFrame(1, "5");
        if (m_o.rooms > 0) {
            for (int r = 0; r < m_o.rooms; ++r)
                m_triggers.push_back(wsFrame(1,
                                             "42[\"broadcast\",\"r" + std::to_string(r) + "\","
                                                 + std::to_string(m_o.count) + "," + payload + "]"));
        } else {
            m_triggers.push_back(
                wsFrame(1, "42[\"broadcast\",\"\"," + std::to_string(m_o.count) + "," + payload + "]"));
        }
    }

    int run();

private:
    // connection plumbing
    bool openConn(Conn &c, Client *client, bool pollGet);
    void closeConn(Conn &c);
    void send(Conn &c, const char *data, size_t n);
    void send(Conn &c, const std::string &s) { send(c, s.data(), s.size()); }
    void flushOut(Conn &c);
    void onEvent(Conn *c, uint32_t events);
    void onReadable(Conn &c);
    void onWsData(Conn &c);
    void onHttpData(Conn &c);
    void fail(Client &cl, const char *why);

    // protocol
    void startClient(Client &cl);
    void startWs(Client &cl, bool probe);
    void onEnginePacket(Client &cl, const char *p, size_t n, bool overWs);
    void onSocketIo(Client &cl, const char *p, size_t n);
    void pollGet(Client &cl);
    void pollPost(Client &cl, const std::string &packets);
    void sendPacket(Client &cl, const std::string &wsFrameBytes, const std::string &text);
    void onReady(Client &cl);

    // load
    void sendEcho(Client &cl);
    void sendChat(Client &cl, double scheduled);
    void pumpBroadcast();
    bool loop(double until, const std::function<bool()> &done);
    void connectAll(std::vector<std::unique_ptr<Client>> &list, int from, int to, Role role);

    Options m_o;
    int m_ep = -1;
    sockaddr_in m_addr{};
    AckTemplate m_echoWs, m_echoPoll;
    MsgpackAckTemplate m_echoMp;
    std::vector<AckTemplate> m_chatWs;
    std::string m_pongWs, m_connectWs, m_probeWs, m_upgradeWs;
    std::vector<std::string> m_triggers;
    std::vector<std::unique_ptr<Client>> m_clients; // active
    std::vector<std::unique_ptr<Client>> m_idle;
    Client *m_sender = nullptr;
    int m_connecting = 0;
    int m_ready = 0;
    int m_failed = 0;
    Stats m_stats;
    // broadcast window
    long m_issued = 0;
    long m_delivered = 0;
    long m_perBroadcast = 0;
    int m_nextRoom = 0;
    std::vector<long> m_roomSize;
    std::function<void()> m_tick;
    // chat: send time per (client, id) is in Client::pending
};

bool LoadGen::openConn(Conn &c, Client *client, bool pollGet)
{
    c.http = pollGet || client->polling || client->upgrade;
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0)
        die("socket");
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // Reset on close: no TIME_WAIT piles up over repeated runs.
    linger lg{ 1, 0 };
    setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    c.client = client;
    c.isPollGet = pollGet;
    c.in.clear();
    c.out.clear();
    c.reader.buf.clear();
    if (connect(c.fd, reinterpret_cast<sockaddr *>(&m_addr), sizeof m_addr) < 0 && errno != EINPROGRESS) {
        close(c.fd);
        c.fd = -1;
        return false;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
    ev.data.ptr = &c;
    c.wantWrite = true;
    if (epoll_ctl(m_ep, EPOLL_CTL_ADD, c.fd, &ev) < 0)
        die("epoll_ctl");
    return true;
}

void LoadGen::closeConn(Conn &c)
{
    if (c.fd >= 0) {
        epoll_ctl(m_ep, EPOLL_CTL_DEL, c.fd, nullptr);
        close(c.fd);
        c.fd = -1;
    }
}

void LoadGen::send(Conn &c, const char *data, size_t n)
{
    if (c.fd < 0)
        return;
    if (c.out.empty() && !c.wantWrite) {
        ssize_t w = ::send(c.fd, data, n, MSG_NOSIGNAL);
        if (w == ssize_t(n))
            return;
        if (w < 0) {
            if (errno != EAGAIN) {
                fail(*c.client, "send");
                return;
            }
            w = 0;
        }
        c.out.append(data + w, n - size_t(w));
    } else {
        c.out.append(data, n);
    }
    if (!c.wantWrite) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
        ev.data.ptr = &c;
        epoll_ctl(m_ep, EPOLL_CTL_MOD, c.fd, &ev);
        c.wantWrite = true;
    }
}

void LoadGen::flushOut(Conn &c)
{
    while (!c.out.empty()) {
        ssize_t w = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN)
                return;
            fail(*c.client, "send");
            return;
        }
        c.out.erase(0, size_t(w));
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.ptr = &c;
    epoll_ctl(m_ep, EPOLL_CTL_MOD, c.fd, &ev);
    c.wantWrite = false;
}

void LoadGen::fail(Client &cl, const char *why)
{
    if (cl.phase == Phase::Dead)
        return;
    if (m_failed < 5)
        std::fprintf(stderr, "loadgen: client %d failed: %s (phase %d)\n", cl.index, why, int(cl.phase));
    const bool wasReady = cl.phase == Phase::Ready;
    if (!wasReady)
        --m_connecting;
    else
        --m_ready;
    cl.phase = Phase::Dead;
    ++m_failed;
    ++m_stats.errors;
    closeConn(cl.ws);
    closeConn(cl.post);
}

void LoadGen::onEvent(Conn *c, uint32_t events)
{
    Client &cl = *c->client;
    if (cl.phase == Phase::Dead)
        return;
    if (events & EPOLLOUT) {
        if (cl.phase == Phase::TcpConnecting && c == &cl.ws) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                errno = err;
                fail(cl, "connect");
                return;
            }
            startClient(cl);
        }
        flushOut(*c);
        if (cl.phase == Phase::Dead)
            return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        onReadable(*c);
}

void LoadGen::onReadable(Conn &c)
{
    char buf[65536];
    for (;;) {
        ssize_t r = recv(c.fd, buf, sizeof buf, 0);
        if (r > 0) {
            if (c.http) {
                c.reader.buf.append(buf, size_t(r));
            } else {
                c.in.append(buf, size_t(r));
            }
            if (size_t(r) < sizeof buf)
                break;
            continue;
        }
        if (r == 0) {
            fail(*c.client, "closed by server");
            return;
        }
        if (errno == EAGAIN)
            break;
        fail(*c.client, "recv");
        return;
    }
    if (c.http)
        onHttpData(c);
    else
        onWsData(c);
}

void LoadGen::onWsData(Conn &c)
{
    Client &cl = *c.client;
    if (cl.phase == Phase::WsHandshake) {
        const size_t end = c.in.find("\r\n\r\n");
        if (end == std::string::npos)
            return;
        if (c.in.compare(0, 12, "HTTP/1.1 101") != 0) {
            fail(cl, "no 101");
            return;
        }
        c.in.erase(0, end + 4);
        if (cl.upgrade) {
            cl.phase = Phase::UpgradeProbe;
            send(c, m_probeWs);
        } else {
            cl.phase = Phase::WsOpen;
        }
    }
    size_t pos = 0;
    while (cl.phase != Phase::Dead) {
        const size_t avail = c.in.size() - pos;
        if (avail < 2)
            break;
        const auto *h = reinterpret_cast<const uint8_t *>(c.in.data() + pos);
        const int opcode = h[0] & 0x0f;
        uint64_t len = h[1] & 0x7f;
        size_t hl = 2;
        if (len == 126) {
            if (avail < 4)
                break;
            len = (uint64_t(h[2]) << 8) | h[3];
            hl = 4;
        } else if (len == 127) {
            if (avail < 10)
                break;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | h[2 + i];
            hl = 10;
        }
        if (avail < hl + len)
            break;
        const char *payload = c.in.data() + pos + hl;
        pos += hl + size_t(len);
        if (opcode == 1) {
            onEnginePacket(cl, payload, size_t(len), true);
        } else if (opcode == 2 && m_o.msgpack) {
            // One msgpack packet: dispatched as its JSON form's first characters would be.
            uint64_t type = 0, id = 0;
            if (!mpPacket(reinterpret_cast<const uint8_t *>(payload), size_t(len), &type, &id)) {
                fail(cl, "malformed msgpack packet");
                return;
            }
            const std::string head =
                std::to_string(type) + (id == UINT64_MAX ? std::string() : std::to_string(id));
            onSocketIo(cl, head.data(), head.size());
        } else if (opcode == 8) {
            fail(cl, "websocket closed by server");
            return;
        } else if (opcode == 9) {
            send(c, wsFrame(10, std::string(payload, size_t(len))));
        }
    }
    if (cl.phase != Phase::Dead)
        c.in.erase(0, pos);
}

void LoadGen::onHttpData(Conn &c)
{
    Client &cl = *c.client;
    std::string body;
    int status = 0;
    while (cl.phase != Phase::Dead && c.reader.next(body, status)) {
        if (status != 200) {
            fail(cl, "http status");
            return;
        }
        if (&c == &cl.post) {
            cl.postInFlight = false;
            if (!cl.postQueue.empty()) {
                std::string q;
                q.swap(cl.postQueue);
                pollPost(cl, q);
            }
            continue;
        }
        cl.getInFlight = false;
        // payload: packets separated by \x1e
        size_t start = 0;
        while (start <= body.size()) {
            size_t end = body.find('\x1e', start);
            if (end == std::string::npos)
                end = body.size();
            if (end > start)
                onEnginePacket(cl, body.data() + start, end - start, false);
            if (cl.phase == Phase::Dead)
                return;
            start = end + 1;
        }
        if ((cl.polling || cl.phase != Phase::Ready) && !cl.getInFlight && cl.phase != Phase::Dead
            && cl.phase != Phase::WsHandshake && cl.phase != Phase::UpgradeProbe)
            pollGet(cl);
    }
}

// --- protocol ------------------------------------------------------------------------------

void LoadGen::startClient(Client &cl)
{
    if (cl.polling || cl.upgrade) {
        cl.phase = Phase::PollHandshake;
        pollGet(cl);
    } else {
        startWs(cl, false);
    }
}

void LoadGen::startWs(Client &cl, bool probe)
{
    std::string req = "GET " + m_o.path + "?EIO=4&transport=websocket";
    if (probe)
        req += "&sid=" + cl.sid;
    req += " HTTP/1.1\r\nHost: " + m_o.host + ":" + std::to_string(m_o.port)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";
    cl.phase = Phase::WsHandshake;
    send(cl.ws, req);
}

void LoadGen::pollGet(Client &cl)
{
    if (cl.getInFlight)
        return;
    cl.getInFlight = true;
    std::string req = "GET " + m_o.path + "?EIO=4&transport=polling";
    if (!cl.sid.empty())
        req += "&sid=" + cl.sid;
    req += " HTTP/1.1\r\nHost: " + m_o.host + "\r\n\r\n";
    send(cl.ws, req);
}

void LoadGen::pollPost(Client &cl, const std::string &packets)
{
    if (cl.postInFlight) {
        if (!cl.postQueue.empty())
            cl.postQueue.push_back('\x1e');
        cl.postQueue += packets;
        return;
    }
    if (cl.post.fd < 0) {
        if (!openConn(cl.post, &cl, false)) {
            fail(cl, "connect post");
            return;
        }
        cl.post.wantWrite = true;
    }
    cl.postInFlight = true;
    std::string req = "POST " + m_o.path + "?EIO=4&transport=polling&sid=" + cl.sid
        + " HTTP/1.1\r\nHost: " + m_o.host + "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: "
        + std::to_string(packets.size()) + "\r\n\r\n" + packets;
    // The POST connection may still be connecting: queue into out; EPOLLOUT flushes it.
    cl.post.out += req;
    if (!cl.post.wantWrite)
        flushOut(cl.post);
}

void LoadGen::sendPacket(Client &cl, const std::string &frame, const std::string &text)
{
    if (cl.polling)
        pollPost(cl, text);
    else
        send(cl.ws, frame);
}

void LoadGen::onEnginePacket(Client &cl, const char *p, size_t n, bool overWs)
{
    if (n == 0)
        return;
    switch (p[0]) {
    case '0': { // open
        const char *s = static_cast<const char *>(memmem(p, n, "\"sid\":\"", 7));
        if (s) {
            s += 7;
            const char *e = static_cast<const char *>(std::memchr(s, '"', n - size_t(s - p)));
            cl.sid.assign(s, size_t(e - s));
        }
        if (overWs) {
            cl.phase = Phase::WsConnecting;
            send(cl.ws, m_connectWs);
        } else {
            cl.phase = Phase::PollConnect;
            pollPost(cl, "40");
        }
        break;
    }
    case '2': // ping
        if (overWs)
            send(cl.ws, m_pongWs);
        else
            pollPost(cl, "3");
        break;
    case '3': // pong: "3probe"
        if (cl.phase == Phase::UpgradeProbe) {
            send(cl.ws, m_upgradeWs);
            closeConn(cl.post);
            onReady(cl);
        }
        break;
    case '4':
        onSocketIo(cl, p + 1, n - 1);
        break;
    case '1':
        fail(cl, "engine close");
        break;
    default:
        break;
    }
}

void LoadGen::onSocketIo(Client &cl, const char *p, size_t n)
{
    if (n == 0)
        return;
    switch (p[0]) {
    case '0': // CONNECT reply
        if (cl.phase == Phase::WsConnecting) {
            onReady(cl);
        } else if (cl.phase == Phase::PollConnect) {
            if (cl.upgrade) {
                // now upgrade: a new TCP connection for the WebSocket, the old one goes
                Conn &old = cl.ws;
                closeConn(old);
                cl.getInFlight = false;
                cl.phase = Phase::WsHandshake;
                if (!openConn(cl.ws, &cl, false)) {
                    fail(cl, "connect ws");
                    return;
                }
                // send the request when connected
                std::string req = "GET " + m_o.path + "?EIO=4&transport=websocket&sid=" + cl.sid
                    + " HTTP/1.1\r\nHost: " + m_o.host
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                      "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
                cl.ws.out = req;
                cl.ws.http = false;
            } else {
                onReady(cl);
            }
        }
        break;
    case '2': { // EVENT: a broadcast or chat delivery
        ++m_delivered;
        if (m_stats.measuring)
            ++m_stats.deliveries;
        break;
    }
    case '3': { // ACK: "3<id>[...]"
        uint64_t id = 0;
        size_t i = 1;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            id = id * 10 + uint64_t(p[i++] - '0');
        const double now = nowSeconds();
        auto it = std::find_if(cl.pending.begin(), cl.pending.end(),
                               [id](const std::pair<uint64_t, double> &e) { return e.first == id; });
        if (it == cl.pending.end())
            break;
        const double sent = it->second;
        cl.pending.erase(it);
        if (cl.role == Role::Receiver || cl.role == Role::Chat || cl.role == Role::Idle) {
            if (!cl.joined) {
                cl.joined = true;
                ++m_ready;
                --m_connecting;
                break;
            }
        }
        if (m_stats.measuring) {
            ++m_stats.ops;
            m_stats.latency(now - sent);
        }
        if (cl.role == Role::Echo)
            sendEcho(cl);
        break;
    }
    case '4': // CONNECT_ERROR
        fail(cl, "connect error");
        break;
    default:
        break;
    }
}

void LoadGen::onReady(Client &cl)
{
    cl.phase = Phase::Ready;
    if (cl.room >= 0) {
        // join first; counted as ready when the ack arrives
        const std::string text =
            "42" + std::to_string(cl.nextId) + "[\"join\",\"r" + std::to_string(cl.room) + "\"]";
        cl.pending.emplace_back(cl.nextId++, nowSeconds());
        sendPacket(cl, wsFrame(1, text), text);
        return;
    }
    cl.joined = true;
    ++m_ready;
    --m_connecting;
    if (cl.role == Role::Connect && m_stats.measuring) {
        ++m_stats.ops;
        m_stats.latency(nowSeconds() - cl.started);
    }
}

void LoadGen::sendEcho(Client &cl)
{
    std::string out;
    const uint64_t id = cl.nextId++;
    cl.pending.emplace_back(id, nowSeconds());
    if (cl.polling) {
        m_echoPoll.patch(out, id, false);
        pollPost(cl, out);
    } else if (m_o.msgpack) {
        m_echoMp.patch(out, id);
        send(cl.ws, out);
    } else {
        m_echoWs.patch(out, id, true);
        send(cl.ws, out);
    }
}

void LoadGen::sendChat(Client &cl, double scheduled)
{
    std::string out;
    const uint64_t id = cl.nextId++;
    cl.pending.emplace_back(id, scheduled);
    m_chatWs[size_t(std::max(0, cl.room))].patch(out, id, true);
    send(cl.ws, out);
}

void LoadGen::pumpBroadcast()
{
    if (!m_sender || m_sender->phase != Phase::Ready)
        return;
    // Keep `inflight` broadcasts outstanding, measured by deliveries.
    while (true) {
        const long perB = m_perBroadcast * m_o.count;
        const long outstanding = m_issued * perB - m_delivered;
        if (outstanding > long(m_o.inflight - 1) * perB)
            break;
        send(m_sender->ws, m_triggers[size_t(m_nextRoom)]);
        if (!m_triggers.empty())
            m_nextRoom = (m_nextRoom + 1) % int(m_triggers.size());
        ++m_issued;
    }
}

bool LoadGen::loop(double until, const std::function<bool()> &done)
{
    epoll_event events[512];
    while (!done()) {
        const double now = nowSeconds();
        if (until > 0 && now >= until)
            return false;
        int timeoutMs = until > 0 ? int((until - now) * 1000) + 1 : 1000;
        if (m_o.mode == "chat" && m_stats.measuring)
            timeoutMs = 1;
        timeoutMs = std::min(timeoutMs, 100);
        const int n = epoll_wait(m_ep, events, 512, timeoutMs);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; ++i)
            onEvent(static_cast<Conn *>(events[i].data.ptr), events[i].events);
        if (m_o.mode == "broadcast")
            pumpBroadcast();
        if (m_tick)
            m_tick();
    }
    return true;
}

void LoadGen::connectAll(std::vector<std::unique_ptr<Client>> &list, int from, int to, Role role)
{
    const int r0 = m_ready, f0 = m_failed;
    const int n = to - from;
    int started = 0;
    m_tick = [&] {
        while (started < n && m_connecting < m_o.concurrency) {
            auto cl = std::make_unique<Client>();
            cl->index = from + started;
            cl->role = role;
            cl->polling = m_o.transport == "polling" && role != Role::Idle && role != Role::Sender;
            cl->upgrade = m_o.transport == "upgrade" && role == Role::Connect;
            if ((role == Role::Receiver || role == Role::Chat) && m_o.rooms > 0)
                cl->room = cl->index % m_o.rooms;
            cl->started = nowSeconds();
            ++m_connecting;
            ++started;
            Client *raw = cl.get();
            list.push_back(std::move(cl));
            if (!openConn(raw->ws, raw, raw->polling || raw->upgrade)) {
                fail(*raw, "connect");
                continue;
            }
        }
    };
    m_tick();
    const double deadline = nowSeconds() + 300;
    loop(deadline, [&] { return (m_ready - r0) + (m_failed - f0) >= n; });
    m_tick = nullptr;
}

int LoadGen::run()
{
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);

    const double tck = double(sysconf(_SC_CLK_TCK));
    const std::string &mode = m_o.mode;
    Window w;
    long rssBefore = 0, rssAfter = 0;
    std::string rssSteps;
    auto measureFor = [&](double warmup, double duration) {
        loop(nowSeconds() + warmup, [] { return false; });
        m_stats.measuring = true;
        w.start(m_o);
        if (m_o.messages > 0)
            loop(nowSeconds() + 600, [&] { return m_stats.ops >= m_o.messages; });
        else
            loop(nowSeconds() + duration, [] { return false; });
        w.stop(m_o);
        m_stats.measuring = false;
    };

    if (m_o.idle > 0)
        connectAll(m_idle, 0, m_o.idle, Role::Idle);
    const int idleFailed = m_failed;

    if (mode == "connect") {
        // warm-up: a batch connected and dropped
        std::vector<std::unique_ptr<Client>> warm;
        const int nWarm = std::min(m_o.clients, 500);
        if (m_o.warmup > 0) {
            connectAll(warm, 1000000, 1000000 + nWarm, Role::Connect);
            for (auto &cl : warm) {
                closeConn(cl->ws);
                closeConn(cl->post);
                if (cl->phase == Phase::Ready)
                    --m_ready;
            }
            warm.clear();
            loop(nowSeconds() + m_o.warmup, [] { return false; });
        }
        m_stats.measuring = true;
        w.start(m_o);
        connectAll(m_clients, 0, m_o.clients, Role::Connect);
        w.stop(m_o);
        m_stats.measuring = false;
    } else if (mode == "idle") {
        rssBefore = readRssKb(m_o.serverPid);
        m_stats.measuring = true;
        w.start(m_o);
        int done = 0;
        for (int step : m_o.steps) {
            if (step <= done || step >= m_o.clients)
                continue;
            connectAll(m_clients, done, step, Role::Idle);
            done = step;
            loop(nowSeconds() + m_o.hold, [] { return false; });
            rssSteps += (rssSteps.empty() ? "" : ",") + std::string("[") + std::to_string(m_ready - m_o.idle)
                + "," + std::to_string(readRssKb(m_o.serverPid)) + "]";
        }
        connectAll(m_clients, done, m_o.clients, Role::Idle);
        w.stop(m_o);
        m_stats.measuring = false;
        m_stats.ops = m_ready - m_o.idle;
        loop(nowSeconds() + m_o.hold, [] { return false; });
        rssAfter = readRssKb(m_o.serverPid);
        rssSteps += (rssSteps.empty() ? "" : ",") + std::string("[") + std::to_string(m_ready - m_o.idle)
            + "," + std::to_string(rssAfter) + "]";
    } else if (mode == "echo") {
        connectAll(m_clients, 0, m_o.clients, Role::Echo);
        for (auto &cl : m_clients) {
            if (cl->phase == Phase::Ready)
                for (int k = 0; k < m_o.inflight; ++k)
                    sendEcho(*cl);
        }
        measureFor(m_o.warmup, m_o.duration);
    } else if (mode == "broadcast") {
        connectAll(m_clients, 0, m_o.clients, Role::Receiver);
        std::vector<std::unique_ptr<Client>> senders;
        connectAll(senders, m_o.clients, m_o.clients + 1, Role::Sender);
        m_sender = senders.empty() ? nullptr : senders.front().get();
        m_perBroadcast = m_o.rooms > 0 ? m_o.clients / m_o.rooms : m_o.clients;
        pumpBroadcast();
        m_stats.measuring = false;
        loop(nowSeconds() + m_o.warmup, [] { return false; });
        m_stats.measuring = true;
        w.start(m_o);
        if (m_o.messages > 0)
            loop(nowSeconds() + 600, [&] { return m_stats.deliveries >= m_o.messages; });
        else
            loop(nowSeconds() + m_o.duration, [] { return false; });
        w.stop(m_o);
        m_stats.measuring = false;
        m_stats.ops = m_stats.deliveries;
        senders.swap(m_idle); // keep alive till the end
        for (auto &s : senders)
            m_idle.push_back(std::move(s));
    } else if (mode == "chat") {
        if (m_o.rooms <= 0)
            m_o.rooms = 10;
        m_chatWs.clear();
        const std::string payload = jsonString(m_o.size, 'x');
        for (int r = 0; r < m_o.rooms; ++r)
            m_chatWs.push_back(
                AckTemplate::make("42", "[\"chat\",\"r" + std::to_string(r) + "\"," + payload + "]", true));
        connectAll(m_clients, 0, m_o.clients, Role::Chat);
        const double interval = 1.0 / std::max(1.0, m_o.rate);
        double next = nowSeconds();
        size_t rr = 0;
        m_tick = [&] {
            const double now = nowSeconds();
            while (next <= now && !m_clients.empty()) {
                Client &cl = *m_clients[rr++ % m_clients.size()];
                if (cl.phase == Phase::Ready)
                    sendChat(cl, next);
                next += interval;
            }
        };
        measureFor(m_o.warmup, m_o.duration);
        m_tick = nullptr;
    } else {
        std::fprintf(stderr, "loadgen: unknown mode %s\n", mode.c_str());
        return 2;
    }

    std::vector<float> &lat = m_stats.latUs;
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) -> double {
        if (lat.empty())
            return 0;
        size_t i = size_t(p * double(lat.size() - 1) + 0.5);
        return lat[std::min(i, lat.size() - 1)];
    };
    const double elapsed = w.t1 - w.t0;
    const double busy = double(w.s1.busy - w.s0.busy) / tck;
    const double total = double(w.s1.total - w.s0.total) / tck;
    const double gbusy = double(w.g1.busy - w.g0.busy) / tck;
    const double gtotal = double(w.g1.total - w.g0.total) / tck;
    const double proc = double(w.p1 - w.p0) / tck;
    const long ops = m_stats.ops;
    std::printf(
        "{\"mode\":\"%s\",\"transport\":\"%s\",\"clients\":%d,\"idle\":%d,\"size\":%d,\"inflight\":%d,"
        "\"rooms\":%d,\"count\":%d,\"rate\":%.1f,"
        "\"ops\":%ld,\"deliveries\":%ld,\"errors\":%ld,\"idle_errors\":%d,\"connected\":%d,"
        "\"elapsed_s\":%.4f,\"throughput\":%.1f,"
        "\"cpu0_busy_s\":%.3f,\"cpu0_util\":%.3f,\"server_proc_s\":%.3f,\"gen_cpu_util\":%.3f,"
        "\"gen_self_s\":%.3f,"
        "\"us_per_op\":%.3f,\"proc_us_per_op\":%.3f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
        "\"rss_before_kb\":%ld,\"rss_after_kb\":%ld,\"rss_per_client_kb\":%.2f,\"rss_steps\":[%s]}\n",
        mode.c_str(), m_o.transport.c_str(), m_o.clients, m_o.idle, m_o.size, m_o.inflight, m_o.rooms,
        m_o.count, m_o.rate, ops, m_stats.deliveries, m_stats.errors - idleFailed, idleFailed, m_ready,
        elapsed, elapsed > 0 ? double(ops) / elapsed : 0.0, busy, total > 0 ? busy / total : 0.0, proc,
        gtotal > 0 ? gbusy / gtotal : 0.0, w.self1 - w.self0, ops > 0 ? busy * 1e6 / double(ops) : 0.0,
        ops > 0 ? proc * 1e6 / double(ops) : 0.0, pct(0.5), pct(0.99), rssBefore, rssAfter,
        m_o.clients > 0 && rssAfter > 0 ? double(rssAfter - rssBefore) / double(m_o.clients) : 0.0,
        rssSteps.c_str());
    std::fflush(stdout);
    for (auto &cl : m_clients) {
        closeConn(cl->ws);
        closeConn(cl->post);
    }
    for (auto &cl : m_idle) {
        closeConn(cl->ws);
        closeConn(cl->post);
    }
    return m_stats.errors - idleFailed > 0 && ops == 0 ? 1 : 0;
}

void usage()
{
    std::fprintf(stderr,
                 "usage: socketio-loadgen [--host H] [--port N] [--path /socket.io/]\n"
                 "  --mode connect|echo|broadcast|idle|chat  --transport websocket|polling|upgrade\n"
                 "  --clients N --idle N --size BYTES --inflight K --rooms N --count N --rate MSG/S\n"
                 "  --warmup S --duration S --messages N --concurrency N --hold S --steps N,N\n"
                 "  --server-pid PID --server-cpu N --gen-cpu N\n"
                 "  --parser json|msgpack   (msgpack: echo and connect over websocket)\n");
}

} // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto val = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--host")
            o.host = val();
        else if (a == "--port")
            o.port = std::stoi(val());
        else if (a == "--path")
            o.path = val();
        else if (a == "--mode")
            o.mode = val();
        else if (a == "--transport")
            o.transport = val();
        else if (a == "--clients")
            o.clients = std::stoi(val());
        else if (a == "--idle")
            o.idle = std::stoi(val());
        else if (a == "--size")
            o.size = std::stoi(val());
        else if (a == "--inflight")
            o.inflight = std::stoi(val());
        else if (a == "--rooms")
            o.rooms = std::stoi(val());
        else if (a == "--count")
            o.count = std::stoi(val());
        else if (a == "--rate")
            o.rate = std::stod(val());
        else if (a == "--warmup")
            o.warmup = std::stod(val());
        else if (a == "--duration")
            o.duration = std::stod(val());
        else if (a == "--messages")
            o.messages = std::stol(val());
        else if (a == "--concurrency")
            o.concurrency = std::stoi(val());
        else if (a == "--hold")
            o.hold = std::stod(val());
        else if (a == "--steps") {
            const std::string v = val();
            size_t p = 0;
            while (p < v.size()) {
                o.steps.push_back(std::stoi(v.substr(p)));
                p = v.find(',', p);
                if (p == std::string::npos)
                    break;
                ++p;
            }
        } else if (a == "--server-pid")
            o.serverPid = std::stoi(val());
        else if (a == "--server-cpu")
            o.serverCpu = std::stoi(val());
        else if (a == "--gen-cpu")
            o.genCpu = std::stoi(val());
        else if (a == "--parser")
            o.msgpack = val() == "msgpack";
        else {
            usage();
            return 2;
        }
    }
    if (o.msgpack && ((o.mode != "echo" && o.mode != "connect") || o.transport != "websocket")) {
        std::fprintf(stderr, "loadgen: --parser msgpack: modes echo and connect over websocket only\n");
        return 2;
    }
    LoadGen gen(o);
    return gen.run();
}
