#include "core/answeringpromise.h"

#include <QTest>

#include <memory>

using kucun::AnsweringPromise;
using kucun::Error;
using kucun::Result;

class TestAnsweringPromise : public QObject
{
    Q_OBJECT

private slots:
    void answersWithTheValue();
    void firstAnswerCounts();
    void droppedRequestSaysWhatWentAway_data();
    void droppedRequestSaysWhatWentAway();
};

void TestAnsweringPromise::answersWithTheValue()
{
    AnsweringPromise<int> promise(QStringLiteral("unused"));
    QFuture<Result<int>> future = promise.future();
    promise.answer(42);
    QVERIFY(future.isFinished());
    QVERIFY(future.result().ok());
    QCOMPARE(future.result().value(), 42);
}

void TestAnsweringPromise::firstAnswerCounts()
{
    QFuture<Result<int>> future;
    {
        AnsweringPromise<int> promise(QStringLiteral("dropped"));
        future = promise.future();
        promise.answer(Error{QStringLiteral("the key is gone")});
        promise.answer(7);
    }  // and going away answers nothing more
    QCOMPARE(future.resultCount(), 1);
    QCOMPARE(future.result().error(), QStringLiteral("the key is gone"));
}

void TestAnsweringPromise::droppedRequestSaysWhatWentAway_data()
{
    // The maker's words, whatever they are: each floor names itself, so that a dropped audit
    // query no longer answers that the cache engine went away.
    QTest::addColumn<QString>("whenDropped");
    QTest::addRow("the cache's words") << QStringLiteral("the cache engine went away");
    QTest::addRow("other words") << QStringLiteral("the audit log closed before answering");
}

void TestAnsweringPromise::droppedRequestSaysWhatWentAway()
{
    QFETCH(QString, whenDropped);
    auto promise = std::make_shared<AnsweringPromise<QList<int>>>(whenDropped);
    QFuture<Result<QList<int>>> future = promise->future();
    QVERIFY(!future.isFinished());
    promise.reset();  // the request was dropped with the part that held it
    QVERIFY(future.isFinished());
    QVERIFY(!future.result().ok());
    QCOMPARE(future.result().error(), whenDropped);
}

QTEST_APPLESS_MAIN(TestAnsweringPromise)
#include "tst_answeringpromise.moc"
