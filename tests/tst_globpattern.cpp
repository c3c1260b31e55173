#include "core/globpattern.h"

#include <QTest>

class TestGlobPattern : public QObject
{
    Q_OBJECT

private slots:
    void matchesLikeRedis_data();
    void matchesLikeRedis();
    void literalPrefix_data();
    void literalPrefix();
    void globOrPrefix_data();
    void globOrPrefix();
    void hostilePatternStaysFast();
};

void TestGlobPattern::matchesLikeRedis_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("matches");

    QTest::addRow("star suffix") << QByteArray("kucun:products:*")
                                 << QByteArray("kucun:products:detail:42") << true;
    QTest::addRow("star suffix, other ns")
        << QByteArray("kucun:products:*") << QByteArray("other:products:1") << false;
    QTest::addRow("star alone") << QByteArray("*") << QByteArray("") << true;
    QTest::addRow("star middle") << QByteArray("a*c") << QByteArray("abbbc") << true;
    QTest::addRow("star middle, no end") << QByteArray("a*c") << QByteArray("abbbd") << false;
    QTest::addRow("backtrack") << QByteArray("*ab*ab") << QByteArray("xxabyyab") << true;
    QTest::addRow("question") << QByteArray("h?llo") << QByteArray("hallo") << true;
    QTest::addRow("question needs a char") << QByteArray("h?llo") << QByteArray("hllo") << false;
    QTest::addRow("class") << QByteArray("h[ae]llo") << QByteArray("hello") << true;
    QTest::addRow("class miss") << QByteArray("h[ae]llo") << QByteArray("hillo") << false;
    QTest::addRow("negated class") << QByteArray("h[^e]llo") << QByteArray("hallo") << true;
    QTest::addRow("negated class miss") << QByteArray("h[^e]llo") << QByteArray("hello") << false;
    QTest::addRow("range") << QByteArray("v[0-9]") << QByteArray("v7") << true;
    QTest::addRow("range miss") << QByteArray("v[0-9]") << QByteArray("vx") << false;
    QTest::addRow("escaped star") << QByteArray("a\\*b") << QByteArray("a*b") << true;
    QTest::addRow("escaped star literal only") << QByteArray("a\\*b") << QByteArray("axb") << false;
    QTest::addRow("exact") << QByteArray("abc") << QByteArray("abc") << true;
    QTest::addRow("longer text") << QByteArray("abc") << QByteArray("abcd") << false;
    QTest::addRow("utf-8 bytes") << QByteArray("库存:*") << QByteArray("库存:42") << true;
}

void TestGlobPattern::matchesLikeRedis()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, text);
    QFETCH(bool, matches);
    QCOMPARE(kucun::globMatches(pattern.toStdString(), text.toStdString()), matches);
}

void TestGlobPattern::literalPrefix_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("prefix");
    QTest::addColumn<bool>("prefixOnly");

    QTest::addRow("prefix star") << QByteArray("kucun:products:list:*")
                                 << QByteArray("kucun:products:list:") << true;
    QTest::addRow("two stars") << QByteArray("kucun:*:x*") << QByteArray("kucun:") << false;
    QTest::addRow("no glob") << QByteArray("kucun:a") << QByteArray("kucun:a") << false;
    QTest::addRow("escape") << QByteArray("a\\*") << QByteArray("a") << false;
}

void TestGlobPattern::literalPrefix()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, prefix);
    QFETCH(bool, prefixOnly);
    const std::string text = pattern.toStdString();
    QCOMPARE(QByteArray::fromStdString(std::string(kucun::globLiteralPrefix(text))), prefix);
    QCOMPARE(kucun::globIsPrefixPattern(text), prefixOnly);
}

void TestGlobPattern::globOrPrefix_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QByteArray>("glob");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");

    QTest::addRow("empty means all") << QString() << QByteArray("*") << "products:1" << true;
    QTest::addRow("prefix under") << "products:list:" << QByteArray("products:list:*")
                                  << "products:list:page:1" << true;
    QTest::addRow("prefix outside")
        << "products:list:" << QByteArray("products:list:*") << "products:detail:1" << false;
    QTest::addRow("prefix is not a suffix")
        << "list" << QByteArray("list*") << "products:list" << false;
    QTest::addRow("glob kept") << "inventory:*:7" << QByteArray("inventory:*:7")
                               << "inventory:summary:7" << true;
    QTest::addRow("glob is whole")
        << "inventory:*:7" << QByteArray("inventory:*:7") << "inventory:summary:70" << false;
    QTest::addRow("question mark") << "a?" << QByteArray("a?") << "ab" << true;
    QTest::addRow("escaped star is a glob") << "a\\*" << QByteArray("a\\*") << "a*" << true;
    QTest::addRow("utf-8") << "库存:" << QByteArray("库存:*") << "库存:42" << true;
}

void TestGlobPattern::globOrPrefix()
{
    QFETCH(QString, filter);
    QFETCH(QByteArray, glob);
    QFETCH(QString, text);
    QFETCH(bool, matches);
    QCOMPARE(kucun::globOrPrefix(filter), glob);
    QCOMPARE(kucun::matchesGlobOrPrefix(filter, text), matches);
}

void TestGlobPattern::hostilePatternStaysFast()
{
    // Exponential in a naive recursive matcher; linear-ish here. Finishing at all is the test.
    const std::string pattern = std::string(30, '*') + "a*a*a*a*a*a*b";
    const std::string text(5000, 'a');
    QVERIFY(!kucun::globMatches(pattern, text));
}

QTEST_APPLESS_MAIN(TestGlobPattern)
#include "tst_globpattern.moc"
