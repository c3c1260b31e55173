#include "cache/epochreclaimer.h"

#include <QTest>

#include <atomic>
#include <thread>

using kucun::EpochReclaimer;

namespace {

std::atomic<int> g_freed{0};

void countFree(void *pointer)
{
    delete static_cast<int *>(pointer);
    g_freed.fetch_add(1);
}

}  // namespace

class TestEpochReclaimer : public QObject
{
    Q_OBJECT

private slots:
    void freesOnlyAfterReadersLeave();
    void nestedGuardsAreOneSection();
};

void TestEpochReclaimer::freesOnlyAfterReadersLeave()
{
    EpochReclaimer &reclaimer = EpochReclaimer::instance();
    g_freed = 0;
    std::atomic<bool> reading{false};
    std::atomic<bool> leave{false};
    std::thread reader([&] {
        EpochReclaimer::ReadGuard guard;
        reading = true;
        while (!leave.load())
            std::this_thread::yield();
    });
    while (!reading.load())
        std::this_thread::yield();

    reclaimer.retire(new int(1), &countFree);
    for (int i = 0; i < 5; ++i)
        reclaimer.collect();
    QCOMPARE(g_freed.load(), 0);  // the reader may still hold it

    leave = true;
    reader.join();
    reclaimer.collect();
    QCOMPARE(g_freed.load(), 1);
    QCOMPARE(reclaimer.pendingCount(), size_t(0));
}

void TestEpochReclaimer::nestedGuardsAreOneSection()
{
    EpochReclaimer &reclaimer = EpochReclaimer::instance();
    g_freed = 0;
    {
        EpochReclaimer::ReadGuard outer;
        {
            EpochReclaimer::ReadGuard inner;
        }
        reclaimer.retire(new int(2), &countFree);
        reclaimer.collect();
        QCOMPARE(g_freed.load(), 0);  // still inside the outer section
    }
    reclaimer.collect();
    QCOMPARE(g_freed.load(), 1);
}

QTEST_APPLESS_MAIN(TestEpochReclaimer)
#include "tst_epochreclaimer.moc"
