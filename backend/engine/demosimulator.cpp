#include "demosimulator.h"

#include "cache/cacheservice.h"
#include "events/eventbus.h"
#include "events/hubevent.h"

#include <QDateTime>
#include <QJsonObject>
#include <QTimer>

#include <cmath>

namespace kucun {

namespace {

constexpr int kTicksPerSecond = 20;
constexpr std::chrono::milliseconds kProductTtl{60000};
constexpr std::chrono::milliseconds kInventoryTtl{30000};
// A few product reads ask for products that no longer exist (the site's 404s).
constexpr int kDeletedProductPercent = 3;
constexpr int kFirstDeletedProduct = 9001;
constexpr int kDeletedProducts = 10;

const QStringList kOrderStatuses{QStringLiteral("pending"), QStringLiteral("paid"),
                                 QStringLiteral("picking"), QStringLiteral("shipped"),
                                 QStringLiteral("delivered")};
const QStringList kStockReasons{QStringLiteral("销售出库"), QStringLiteral("采购入库"),
                                QStringLiteral("盘点调整"), QStringLiteral("调拨")};

QString productId(int product)
{
    return QString::number(product);
}

}  // namespace

DemoSimulator::DemoSimulator(CacheService &cache, CacheStore &store, EventBus &bus, QObject *parent)
    : QObject(parent)
    , m_cache(cache)
    , m_bus(bus)
    , m_timer(new QTimer(this))
    , m_stampede(cache, store, m_gone)
    , m_stampedeTimer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &DemoSimulator::tick);
    m_stampedeTimer->setInterval(DemoFaults::kStampedeIntervalMs);
    connect(m_stampedeTimer, &QTimer::timeout, this,
            [this] { m_stampede.start(m_faults.stampedeReaders, m_faults.loaderLatencyMs); });
    connect(&m_stampede, &DemoStampede::finished, this, &DemoSimulator::stampedeFinished);
}

DemoSimulator::~DemoSimulator()
{
    quiesce();
}

void DemoSimulator::quiesce()
{
    m_timer->stop();
    m_stampedeTimer->stop();
    m_gone->store(true);
    m_stampede.quiesce();
}

void DemoSimulator::setRate(int operationsPerSecond)
{
    m_rate = std::clamp(operationsPerSecond, 0, kMaxRate);
    m_owed = 0;
    updateTimer();
}

void DemoSimulator::setFaults(const DemoFaults &faults)
{
    const bool newStampede = faults.stampedeReaders != m_faults.stampedeReaders;
    m_faults = faults;
    m_faults.redisCut = false;
    m_burstOwed = 0;
    updateTimer();
    if (m_faults.stampedeReaders == 0) {
        m_stampedeTimer->stop();
    } else if (newStampede) {
        m_stampede.start(m_faults.stampedeReaders, m_faults.loaderLatencyMs);
        m_stampedeTimer->start();
    }
}

void DemoSimulator::updateTimer()
{
    if (m_rate == 0 && m_faults.burstEventsPerSecond == 0)
        m_timer->stop();
    else if (!m_timer->isActive())
        m_timer->start(1000 / kTicksPerSecond);
}

void DemoSimulator::tick()
{
    m_owed += double(m_rate) / kTicksPerSecond;
    while (m_owed >= 1) {
        m_owed -= 1;
        runOne();
    }
    m_burstOwed += double(m_faults.burstEventsPerSecond) / kTicksPerSecond;
    while (m_burstOwed >= 1) {
        m_burstOwed -= 1;
        changeInventory(pickProduct());
    }
}

std::function<Result<std::optional<QJsonValue>>()>
DemoSimulator::withFaults(std::function<Result<std::optional<QJsonValue>>()> loader)
{
    const int latencyMs = m_faults.loaderLatencyMs;
    std::uniform_int_distribution<int> percent(0, 99);
    const bool fails
        = m_faults.failingLoadersPercent > 0 && percent(m_random) < m_faults.failingLoadersPercent;
    if (latencyMs == 0 && !fails)
        return loader;
    return [loader = std::move(loader), latencyMs, fails,
            gone = m_gone]() -> Result<std::optional<QJsonValue>> {
        sleepUnless(latencyMs, *gone);
        if (fails)
            return Error{QStringLiteral("the warehouse database did not answer (a demo fault)")};
        return loader();
    };
}

int DemoSimulator::pickProduct()
{
    // Roughly Zipf: product 1 is read about kProducts times as often as product kProducts.
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    return std::clamp(int(std::pow(double(kProducts), uniform(m_random))), 1, kProducts);
}

void DemoSimulator::runOne()
{
    std::uniform_int_distribution<int> percent(0, 99);
    const int roll = percent(m_random);
    const int product = pickProduct();
    if (roll < 45)
        readProduct(product);
    else if (roll < 75)
        readInventory(product);
    else if (roll < 87)
        changeInventory(product);
    else if (roll < 95)
        changeOrderStatus();
    else
        editProduct(product);
}

void DemoSimulator::read(const QString &key, std::chrono::milliseconds ttl,
                         std::function<Result<std::optional<QJsonValue>>()> loader,
                         const GetOrSetOptions &options)
{
    // Nobody waits for the value, so no continuation is chained to the load. getOrSetJson's
    // decoding continuation crashed now and then on a loader thread with Qt 6.4 at 10 000
    // operations a second, its future already dropped here.
    m_cache.getOrSet(key, ttl, CacheService::fromJsonLoader(std::move(loader)), options);
}

void DemoSimulator::readProduct(int product)
{
    std::uniform_int_distribution<int> percent(0, 99);
    const bool deleted = percent(m_random) < kDeletedProductPercent;
    if (deleted)
        product = kFirstDeletedProduct + product % kDeletedProducts;
    const QString id = productId(product);
    GetOrSetOptions options;
    // Tagged like the seed's product pages: an edit of this product or a stock change of it
    // (SPEC §5 routing) clears it, the others stay.
    options.tags = {QStringLiteral("products:") + id};
    read(QStringLiteral("products:detail:") + id, kProductTtl,
         withFaults([id, deleted]() -> Result<std::optional<QJsonValue>> {
             if (deleted)
                 return std::optional<QJsonValue>();  // cached as null for a while
             return std::optional<QJsonValue>(QJsonObject{
                 {QStringLiteral("id"), id},
                 {QStringLiteral("sku"),
                  QStringLiteral("SKU-%1").arg(id.toInt(), 6, 10, QLatin1Char('0'))},
                 {QStringLiteral("name"), QStringLiteral("Product %1").arg(id)},
                 {QStringLiteral("price"), 9.9 + id.toInt() % 50},
             });
         }),
         options);
}

void DemoSimulator::readInventory(int product)
{
    const QString id = productId(product);
    const int quantity = m_stock.value(product, 100 + product % 400);
    GetOrSetOptions options;
    options.tags = {QStringLiteral("inventory:summary:") + id};
    read(QStringLiteral("inventory:summary:") + id, kInventoryTtl,
         withFaults([id, quantity]() -> Result<std::optional<QJsonValue>> {
             return std::optional<QJsonValue>(
                 QJsonObject{{QStringLiteral("productId"), id},
                             {QStringLiteral("quantity"), quantity},
                             {QStringLiteral("warehouse"), QStringLiteral("WH-1")}});
         }),
         options);
}

void DemoSimulator::changeInventory(int product)
{
    const int before = m_stock.value(product, 100 + product % 400);
    std::uniform_int_distribution<int> delta(-12, 8);
    const int after = std::max(0, before + delta(m_random));
    m_stock.insert(product, after);
    std::uniform_int_distribution<qsizetype> reason(0, kStockReasons.size() - 1);
    publish(EventType::InventoryChange,
            {{QStringLiteral("productId"), productId(product)},
             {QStringLiteral("oldQuantity"), before},
             {QStringLiteral("newQuantity"), after},
             {QStringLiteral("reason"), kStockReasons[reason(m_random)]}});
}

void DemoSimulator::changeOrderStatus()
{
    std::uniform_int_distribution<qsizetype> step(1, kOrderStatuses.size() - 1);
    const qsizetype to = step(m_random);
    std::uniform_int_distribution<int> order(1001, std::max(1001, m_nextOrder));
    const int orderNumber = (to == 1) ? m_nextOrder++ : order(m_random);
    publish(EventType::OrderStatus,
            {{QStringLiteral("orderId"), QStringLiteral("SO-%1").arg(orderNumber)},
             {QStringLiteral("status"), kOrderStatuses[to]},
             {QStringLiteral("previousStatus"), kOrderStatuses[to - 1]}});
}

void DemoSimulator::editProduct(int product)
{
    publish(EventType::DataUpdate, {{QStringLiteral("resource"), QStringLiteral("products")},
                                    {QStringLiteral("id"), productId(product)},
                                    {QStringLiteral("action"), QStringLiteral("update")}});
}

void DemoSimulator::publish(EventType type, const QJsonObject &fields)
{
    const Result<QByteArray> event
        = EventCodec::build(type, fields, m_bus.instanceId(), QDateTime::currentMSecsSinceEpoch());
    Q_ASSERT_X(event.ok(), "DemoSimulator", qPrintable(event.error()));  // the demo's own data
    if (event)
        m_bus.publish(EventCodec::channelFor(type), event.value(), EventSource::Demo);
}

}  // namespace kucun
