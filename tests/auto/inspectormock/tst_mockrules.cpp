// SPDX-License-Identifier: MIT
// Mock rules without a server: pattern matching, templates, the rules file (spec rows, a round
// trip, malformed files with where and what).
#include "mockrules.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Inspector;

namespace {

QJsonValue json(const char *text)
{
    // A value of any type: parsed inside an array.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + text + "]");
    if (!doc.isArray() || doc.array().size() != 1)
        qFatal("bad JSON in the test: %s", text);
    return doc.array().at(0);
}

} // namespace

class tst_MockRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void match_data();
    void match();
    void validatePattern_data();
    void validatePattern();
    void templates_data();
    void templates();
    void templateKeysAndNesting();
    void ruleMatching();
    void parse();
    void roundTrip();
    void malformed_data();
    void malformed();
    void loadAndSave();
};

void tst_MockRules::match_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("args");
    QTest::addColumn<bool>("matches");
    // pattern, arguments (both JSON arrays), expected
    const struct
    {
        const char *name, *pattern, *args;
        bool matches;
    } rows[] = {
        { "empty pattern matches anything", "[]", "[1, 2]", true },
        { "empty pattern matches no args", "[]", "[]", true },
        { "scalar equal string", "[\"a\"]", "[\"a\"]", true },
        { "scalar different string", "[\"a\"]", "[\"b\"]", false },
        { "number equal int/double", "[1]", "[1.0]", true },
        { "number differs", "[1]", "[2]", false },
        { "number vs string", "[1]", "[\"1\"]", false },
        { "bool", "[true]", "[true]", true },
        { "null matches null", "[null]", "[null]", true },
        { "null vs missing", "[null]", "[]", false },
        { "prefix: shorter pattern", "[\"a\"]", "[\"a\", \"b\"]", true },
        { "longer pattern than args", "[\"a\", \"b\"]", "[\"a\"]", false },
        { "star matches any value", "[\"*\"]", "[{\"x\": 1}]", true },
        { "star needs a value", "[\"*\"]", "[]", false },
        { "star matches null", "[\"*\"]", "[null]", true },
        { "object subset", "[{\"user\": \"ann\"}]", "[{\"user\": \"ann\", \"extra\": 1}]", true },
        { "object key differs", "[{\"user\": \"ann\"}]", "[{\"user\": \"bob\"}]", false },
        { "object key missing", "[{\"user\": \"ann\"}]", "[{}]", false },
        { "object vs array", "[{\"a\": 1}]", "[[1]]", false },
        { "empty object matches any object", "[{}]", "[{\"a\": 1}]", true },
        { "empty object vs string", "[{}]", "[\"x\"]", false },
        { "nested", "[{\"a\": {\"b\": [1, \"*\"]}}]", "[{\"a\": {\"b\": [1, 2, 3]}}]", true },
        { "nested mismatch", "[{\"a\": {\"b\": [2]}}]", "[{\"a\": {\"b\": [1]}}]", false },
        { "array element-wise", "[[1, 2]]", "[[1, 2, 3]]", true },
        { "array order matters", "[[2, 1]]", "[[1, 2]]", false },
        { "regex", "[{\"$regex\": \"^he\"}]", "[\"hello\"]", true },
        { "regex unanchored", "[{\"$regex\": \"ll\"}]", "[\"hello\"]", true },
        { "regex no match", "[{\"$regex\": \"^x\"}]", "[\"hello\"]", false },
        { "regex case", "[{\"$regex\": \"^HE\"}]", "[\"hello\"]", false },
        { "regex flags i", "[{\"$regex\": \"^HE\", \"$flags\": \"i\"}]", "[\"hello\"]", true },
        { "regex on a number", "[{\"$regex\": \"1\"}]", "[1]", false },
        { "exists true", "[{\"token\": {\"$exists\": true}}]", "[{\"token\": null}]", true },
        { "exists true missing", "[{\"token\": {\"$exists\": true}}]", "[{}]", false },
        { "exists false", "[{\"token\": {\"$exists\": false}}]", "[{}]", true },
        { "exists false present", "[{\"token\": {\"$exists\": false}}]", "[{\"token\": 1}]", false },
        { "exists false for an argument", "[\"*\", {\"$exists\": false}]", "[1]", true },
        { "exists false, argument there", "[\"*\", {\"$exists\": false}]", "[1, 2]", false },
        { "type string", "[{\"$type\": \"string\"}]", "[\"x\"]", true },
        { "type number", "[{\"$type\": \"number\"}]", "[\"x\"]", false },
        { "type array", "[{\"$type\": \"array\"}]", "[[]]", true },
        { "type object", "[{\"$type\": \"object\"}]", "[{}]", true },
        { "type null", "[{\"$type\": \"null\"}]", "[null]", true },
        { "type boolean", "[{\"$type\": \"boolean\"}]", "[false]", true },
        { "eq a literal star", "[{\"$eq\": \"*\"}]", "[\"*\"]", true },
        { "eq a literal star, other", "[{\"$eq\": \"*\"}]", "[\"x\"]", false },
        { "eq an operator-like object", "[{\"$eq\": {\"$regex\": 1}}]", "[{\"$regex\": 1}]", true },
        { "operators combine", "[{\"$type\": \"string\", \"$regex\": \"^a\"}]", "[\"abc\"]", true },
        { "operators combine, one fails", "[{\"$type\": \"string\", \"$regex\": \"^b\"}]", "[\"abc\"]",
          false },
    };
    for (const auto &row : rows)
        QTest::newRow(row.name) << QString::fromUtf8(row.pattern) << QString::fromUtf8(row.args)
                                << row.matches;
}

void tst_MockRules::match()
{
    QFETCH(QString, pattern);
    QFETCH(QString, args);
    QFETCH(bool, matches);
    const QJsonValue p = json(pattern.toUtf8().constData());
    QVERIFY2(Inspector::validatePattern(p).isEmpty(), qPrintable(Inspector::validatePattern(p)));
    QCOMPARE(matchPattern(p, json(args.toUtf8().constData())), matches);
}

void tst_MockRules::validatePattern_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("error"); // a part of the message, empty: valid
    QTest::newRow("plain") << QByteArray("[{\"a\": [1, \"*\"]}]") << QByteArray("");
    QTest::newRow("unknown operator") << QByteArray("[{\"name\": {\"$regexp\": \"x\"}}]")
                                      << QByteArray("args[0].name: unknown operator $regexp");
    QTest::newRow("bad regex") << QByteArray("[1, {\"$regex\": \"(\"}]")
                               << QByteArray("args[1]: bad regular expression");
    QTest::newRow("regex not a string")
        << QByteArray("[{\"$regex\": 1}]") << QByteArray("args[0]: $regex must be a string");
    QTest::newRow("mixed keys") << QByteArray("[{\"$type\": \"string\", \"a\": 1}]")
                                << QByteArray("args[0]: an object mixes operators");
    QTest::newRow("flags alone") << QByteArray("[{\"$flags\": \"i\"}]")
                                 << QByteArray("$flags without $regex");
    QTest::newRow("bad type") << QByteArray("[{\"$type\": \"int\"}]") << QByteArray("$type must be one of");
    QTest::newRow("exists not bool") << QByteArray("[{\"$exists\": 1}]")
                                     << QByteArray("$exists must be true or false");
}

void tst_MockRules::validatePattern()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, error);
    const QString result = Inspector::validatePattern(json(pattern.constData()));
    if (error.isEmpty())
        QVERIFY2(result.isEmpty(), qPrintable(result));
    else
        QVERIFY2(result.contains(QString::fromUtf8(error)), qPrintable(result));
}

void tst_MockRules::templates_data()
{
    QTest::addColumn<QByteArray>("input"); // a JSON value
    QTest::addColumn<QByteArray>("expected"); // a JSON value
    QTest::newRow("no template") << QByteArray("\"plain\"") << QByteArray("\"plain\"");
    QTest::newRow("whole string keeps the type: object")
        << QByteArray("\"{{args[0]}}\"") << QByteArray("{\"name\":\"Ann\",\"age\":42,\"tags\":[\"a\"]}");
    QTest::newRow("whole string keeps the type: number")
        << QByteArray("\"{{args[0].age}}\"") << QByteArray("42");
    QTest::newRow("whole string keeps the type: array")
        << QByteArray("\"{{args[0].tags}}\"") << QByteArray("[\"a\"]");
    QTest::newRow("whole string with spaces")
        << QByteArray("\"{{ args[0].name }}\"") << QByteArray("\"Ann\"");
    QTest::newRow("all arguments") << QByteArray("\"{{args}}\"")
                                   << QByteArray("[{\"name\":\"Ann\",\"age\":42,\"tags\":[\"a\"]},7]");
    QTest::newRow("second argument") << QByteArray("\"{{args[1]}}\"") << QByteArray("7");
    QTest::newRow("missing whole: null") << QByteArray("\"{{args[5]}}\"") << QByteArray("null");
    QTest::newRow("missing embedded: empty") << QByteArray("\"[{{args[0].nope}}]\"") << QByteArray("\"[]\"");
    QTest::newRow("embedded text") << QByteArray("\"Hi {{args[0].name}}, {{args[0].age}}!\"")
                                   << QByteArray("\"Hi Ann, 42!\"");
    QTest::newRow("embedded object as JSON")
        << QByteArray("\"tags={{args[0].tags}}\"") << QByteArray("\"tags=[\\\"a\\\"]\"");
    QTest::newRow("bracket key") << QByteArray("\"{{args[0][\\\"name\\\"]}}\"") << QByteArray("\"Ann\"");
    QTest::newRow("array index in path") << QByteArray("\"{{args[0].tags[0]}}\"") << QByteArray("\"a\"");
    QTest::newRow("event") << QByteArray("\"{{event}}\"") << QByteArray("\"login\"");
    QTest::newRow("nsp") << QByteArray("\"{{nsp}}\"") << QByteArray("\"/chat\"");
    QTest::newRow("socket id") << QByteArray("\"id-{{socket.id}}\"") << QByteArray("\"id-sock1\"");
    QTest::newRow("socket data") << QByteArray("\"{{socket.data.name}}\"") << QByteArray("\"Bob\"");
    QTest::newRow("auth") << QByteArray("\"{{socket.auth.token}}\"") << QByteArray("\"t0k\"");
    QTest::newRow("query") << QByteArray("\"{{socket.query.room}}\"") << QByteArray("\"r1\"");
    QTest::newRow("rule") << QByteArray("\"{{rule}}\"") << QByteArray("\"login\"");
    QTest::newRow("now keeps a number") << QByteArray("\"{{now}}\"") << QByteArray("1700000000123");
    QTest::newRow("now embedded") << QByteArray("\"t{{now}}\"") << QByteArray("\"t1700000000123\"");
    QTest::newRow("iso") << QByteArray("\"{{iso}}\"") << QByteArray("\"2023-11-14T22:13:20.123Z\"");
    QTest::newRow("fallback: first there")
        << QByteArray("\"{{socket.data.name ?? socket.id}}\"") << QByteArray("\"Bob\"");
    QTest::newRow("fallback: missing")
        << QByteArray("\"{{socket.data.nick ?? socket.id}}\"") << QByteArray("\"sock1\"");
    QTest::newRow("fallback: null skipped") << QByteArray("\"{{args[5] ?? args[1]}}\"") << QByteArray("7");
    QTest::newRow("fallback embedded")
        << QByteArray("\"hi {{socket.data.nick??nsp}}\"") << QByteArray("\"hi /chat\"");
    QTest::newRow("fallback: none there") << QByteArray("\"{{args[5] ?? args[6]}}\"") << QByteArray("null");
    QTest::newRow("unknown root") << QByteArray("\"{{nope}}\"") << QByteArray("null");
    QTest::newRow("bad syntax") << QByteArray("\"{{args[x]}}\"") << QByteArray("null");
    QTest::newRow("not a template") << QByteArray("\"{ {args} }\"") << QByteArray("\"{ {args} }\"");
    QTest::newRow("numbers untouched") << QByteArray("3") << QByteArray("3");
    QTest::newRow("in arrays") << QByteArray("[\"{{args[1]}}\", \"x\"]") << QByteArray("[7, \"x\"]");
}

void tst_MockRules::templates()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    TemplateContext context;
    context.args = json("[{\"name\":\"Ann\",\"age\":42,\"tags\":[\"a\"]},7]").toArray();
    context.event = QStringLiteral("login");
    context.nsp = QStringLiteral("/chat");
    context.socketId = QStringLiteral("sock1");
    context.socketData = json("{\"name\":\"Bob\"}").toObject();
    context.auth = json("{\"token\":\"t0k\"}").toObject();
    context.query = json("{\"room\":\"r1\"}").toObject();
    context.rule = QStringLiteral("login");
    context.nowMs = 1700000000123;
    QCOMPARE(applyTemplate(json(input.constData()), context), json(expected.constData()));
}

void tst_MockRules::templateKeysAndNesting()
{
    TemplateContext context;
    context.args = json("[\"room-1\", {\"n\": 2}]").toArray();
    const QJsonValue out = applyTemplate(json("{\"{{args[0]}}\": {\"deep\": [\"{{args[1].n}}\"]}}"), context);
    QCOMPARE(out, json("{\"room-1\": {\"deep\": [2]}}"));
    QCOMPARE(applyTemplateText(QStringLiteral("{{args[1].n}}"), context), QStringLiteral("2"));
}

void tst_MockRules::ruleMatching()
{
    MockRule rule;
    rule.nsp = QStringLiteral("/chat*");
    rule.event = QStringLiteral("msg:*");
    rule.pattern = json("[{\"to\": \"*\"}]").toArray();
    QVERIFY(
        rule.matches(QStringLiteral("/chat"), QStringLiteral("msg:send"), json("[{\"to\": 1}]").toArray()));
    QVERIFY(
        rule.matches(QStringLiteral("/chat/room"), QStringLiteral("msg:"), json("[{\"to\": 1}]").toArray()));
    QVERIFY(!rule.matches(QStringLiteral("/"), QStringLiteral("msg:send"), json("[{\"to\": 1}]").toArray()));
    QVERIFY(!rule.matches(QStringLiteral("/chat"), QStringLiteral("msg"), json("[{\"to\": 1}]").toArray()));
    QVERIFY(!rule.matches(QStringLiteral("/chat"), QStringLiteral("msg:send"), json("[{}]").toArray()));
    // Wildcards do not match the pseudo-events; their exact names do.
    MockRule any;
    QVERIFY(any.matches(QStringLiteral("/"), QStringLiteral("x"), {}));
    QVERIFY(!any.matches(QStringLiteral("/"), QStringLiteral("connection"), {}));
    QVERIFY(!any.matches(QStringLiteral("/"), QStringLiteral("disconnect"), {}));
    any.event = QStringLiteral("connection");
    QVERIFY(any.matches(QStringLiteral("/"), QStringLiteral("connection"), {}));
}

void tst_MockRules::parse()
{
    const QByteArray file = R"({
      "version": 1,
      "rules": [
        {"name": "login", "namespace": "chat", "event": "login", "args": [{"user": "*"}], "delay": 50,
         "continue": true, "comment": "free text",
         "actions": [
           {"ack": {"ok": true}},
           {"ack": [1, 2]},
           {"emit": "welcome", "args": "{{args[0].user}}"},
           {"emit": "joined", "args": ["x"], "room": "lobby", "exceptSender": true, "delay": 0},
           {"emit": "news", "to": "all"},
           {"join": "lobby"}, {"leave": "hall"}, {"set": {"name": "{{args[0].user}}"}}
         ]},
        {"enabled": false, "actions": []}
      ]
    })";
    QString error;
    const std::optional<QList<MockRule>> rules = MockRuleFile::parse(file, QStringLiteral("f.json"), &error);
    QVERIFY2(rules, qPrintable(error));
    QCOMPARE(rules->size(), 2);
    const MockRule &login = rules->at(0);
    QCOMPARE(login.name, QStringLiteral("login"));
    QCOMPARE(login.nsp, QStringLiteral("/chat")); // "/" prepended
    QCOMPARE(login.event, QStringLiteral("login"));
    QCOMPARE(login.delayMs, 50);
    QVERIFY(login.continueMatching);
    QVERIFY(login.enabled);
    QCOMPARE(*login.pattern, json("[{\"user\": \"*\"}]").toArray());
    QCOMPARE(login.actions.size(), 8);
    const QList<MockAction> &a = login.actions;
    QCOMPARE(a[0].type, MockAction::Type::Ack);
    QCOMPARE(a[0].args, json("[{\"ok\": true}]").toArray()); // a non-array is the one argument
    QCOMPARE(a[1].args, json("[1, 2]").toArray()); // an array is the argument list
    QCOMPARE(a[2].type, MockAction::Type::Emit);
    QCOMPARE(a[2].target, MockAction::Target::Sender);
    QCOMPARE(a[2].args, json("[\"{{args[0].user}}\"]").toArray());
    QCOMPARE(a[2].delayMs, -1); // the rule's
    QCOMPARE(a[3].target, MockAction::Target::Room); // "room" without "to"
    QCOMPARE(a[3].room, QStringLiteral("lobby"));
    QVERIFY(a[3].exceptSender);
    QCOMPARE(a[3].delayMs, 0);
    QCOMPARE(a[4].target, MockAction::Target::All);
    QCOMPARE(a[5].type, MockAction::Type::Join);
    QCOMPARE(a[6].type, MockAction::Type::Leave);
    QCOMPARE(a[6].room, QStringLiteral("hall"));
    QCOMPARE(a[7].type, MockAction::Type::SetData);
    QCOMPARE(a[7].data, json("{\"name\": \"{{args[0].user}}\"}").toObject());
    const MockRule &second = rules->at(1);
    QVERIFY(!second.enabled);
    QCOMPARE(second.nsp, QStringLiteral("*"));
    QCOMPARE(second.event, QStringLiteral("*"));
    QVERIFY(!second.pattern);
    QCOMPARE(second.displayName(1), QStringLiteral("#2"));
    QCOMPARE(a[3].summary(), QStringLiteral("emit joined \"x\" \u2192 room lobby except sender after 0 ms"));
}

void tst_MockRules::roundTrip()
{
    QString error;
    const std::optional<QList<MockRule>> rules =
        MockRuleFile::load(QStringLiteral(SOCKETIO_MOCK_EXAMPLE), &error);
    QVERIFY2(rules, qPrintable(error));
    QVERIFY(rules->size() >= 5);
    const QByteArray saved = MockRuleFile::serialize(*rules);
    const std::optional<QList<MockRule>> again = MockRuleFile::parse(saved, QStringLiteral("saved"), &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(MockRuleFile::serialize(*again), saved);
    QCOMPARE(again->size(), rules->size());
    for (int i = 0; i < rules->size(); ++i) {
        QCOMPARE(again->at(i).toJson(), rules->at(i).toJson());
        QCOMPARE(again->at(i).actionsSummary(), rules->at(i).actionsSummary());
    }
}

void tst_MockRules::malformed_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QByteArray>("errorUtf8"); // the whole message, or its start when it ends with "..."
    QTest::newRow("bad JSON: line and column")
        << QByteArray("{\"version\": 1,\n  \"rules\": [\n    {,}\n]}") << QByteArray("f.json:3:...");
    QTest::newRow("empty file") << QByteArray() << QByteArray("f.json:1:1: ...");
    QTest::newRow("not an object") << QByteArray(
        "[]") << QByteArray("f.json: the file must hold an object {\"version\": 1, \"rules\": [...]}");
    QTest::newRow("no version") << QByteArray(
        "{\"rules\": []}") << QByteArray("f.json: \"version\" is missing (this inspector reads version 1)");
    QTest::newRow("future version")
        << QByteArray("{\"version\": 2, \"rules\": []}")
        << QByteArray("f.json: version 2 is not supported (this inspector reads version 1)");
    QTest::newRow("rules not an array") << QByteArray("{\"version\": 1, \"rules\": {}}")
                                        << QByteArray("f.json: \"rules\" must be an array of rules");
    const auto rule = [](const char *json) -> QByteArray {
        return QByteArray("{\"version\": 1, \"rules\": [{\"actions\": []}, ") + json + "]}";
    };
    QTest::newRow("rule not an object")
        << rule("3") << QByteArray("f.json: rule 2: a rule must be an object");
    QTest::newRow("unknown rule key") << rule("{\"name\": \"x\", \"evnt\": \"a\", \"actions\": []}")
                                      << QByteArray("f.json: rule 2 (\u201cx\u201d): unknown key \"evnt\"");
    QTest::newRow("no actions")
        << rule("{\"name\": \"x\"}")
        << QByteArray("f.json: rule 2 (\u201cx\u201d): \"actions\" must be an array of actions");
    QTest::newRow("event not a string") << rule("{\"event\": 1, \"actions\": []}")
                                        << QByteArray("f.json: rule 2: \"event\" must be a string");
    QTest::newRow("enabled not a bool") << rule("{\"enabled\": \"yes\", \"actions\": []}")
                                        << QByteArray("f.json: rule 2: \"enabled\" must be true or false");
    QTest::newRow("negative delay")
        << rule("{\"delay\": -1, \"actions\": []}")
        << QByteArray("f.json: rule 2: \"delay\" must be a number of milliseconds (0 to 86400000)");
    QTest::newRow("args not an array") << rule("{\"args\": {\"a\": 1}, \"actions\": []}")
                                       << QByteArray("f.json: rule 2: \"args\" must be an array pattern ...");
    QTest::newRow("bad operator") << rule("{\"args\": [{\"a\": {\"$rx\": 1}}], \"actions\": []}")
                                  << QByteArray("f.json: rule 2: args[0].a: unknown operator $rx ...");
    QTest::newRow("action not an object")
        << rule("{\"actions\": [\"ack\"]}")
        << QByteArray("f.json: rule 2: actions[0]: an action must be an object ...");
    QTest::newRow("action of no kind")
        << rule("{\"actions\": [{\"delay\": 1}]}")
        << QByteArray("f.json: rule 2: actions[0]: an action needs one of ...");
    QTest::newRow("action of two kinds")
        << rule("{\"actions\": [{\"ack\": 1, \"emit\": \"x\"}]}")
        << QByteArray("f.json: rule 2: actions[0]: an action does one thing; this one has "
                      "ack, emit");
    QTest::newRow("emit without a name")
        << rule("{\"actions\": [{\"ack\": 1}, {\"emit\": \"\"}]}")
        << QByteArray("f.json: rule 2: actions[1]: \"emit\" needs an event name");
    QTest::newRow("reserved event")
        << rule("{\"actions\": [{\"emit\": \"disconnect\"}]}")
        << QByteArray("f.json: rule 2: actions[0]: \"disconnect\" is a reserved event name ...");
    QTest::newRow("bad target")
        << rule("{\"actions\": [{\"emit\": \"x\", \"to\": \"everyone\"}]}")
        << QByteArray("f.json: rule 2: actions[0]: \"to\" must be \"sender\", \"room\" or \"all\", not "
                      "\"everyone\"");
    QTest::newRow("room target without a room")
        << rule("{\"actions\": [{\"emit\": \"x\", \"to\": \"room\"}]}")
        << QByteArray("f.json: rule 2: actions[0]: an emit to a room needs \"room\"");
    QTest::newRow("sender with a room")
        << rule("{\"actions\": [{\"emit\": \"x\", \"to\": \"sender\", \"room\": \"r\"}]}")
        << QByteArray("f.json: rule 2: actions[0]: \"room\" is given but \"to\" is \"sender\"");
    QTest::newRow("unknown action key")
        << rule("{\"actions\": [{\"ack\": 1, \"to\": \"all\"}]}")
        << QByteArray("f.json: rule 2: actions[0]: unknown key \"to\" in a ack action");
    QTest::newRow("join without a room")
        << rule("{\"actions\": [{\"join\": \"\"}]}")
        << QByteArray("f.json: rule 2: actions[0]: \"join\" needs a room name");
    QTest::newRow("set not an object")
        << rule("{\"actions\": [{\"set\": 1}]}")
        << QByteArray("f.json: rule 2: actions[0]: \"set\" needs an object ...");
    QTest::newRow("action delay") << rule("{\"actions\": [{\"ack\": 1, \"delay\": \"soon\"}]}")
                                  << QByteArray("f.json: rule 2: actions[0]: \"delay\" must be a number ...");
}

void tst_MockRules::malformed()
{
    QFETCH(QByteArray, file);
    QFETCH(QByteArray, errorUtf8);
    const QString error = QString::fromUtf8(errorUtf8);
    QString message;
    QVERIFY(!MockRuleFile::parse(file, QStringLiteral("f.json"), &message));
    if (error.endsWith(QLatin1String("...")))
        QVERIFY2(message.startsWith(error.chopped(3)), qPrintable(message));
    else
        QCOMPARE(message, error);
}

void tst_MockRules::loadAndSave()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QString error;
    QVERIFY(!MockRuleFile::load(dir.filePath(QStringLiteral("missing.json")), &error));
    QVERIFY2(error.startsWith(dir.filePath(QStringLiteral("missing.json")) + QLatin1String(": ")),
             qPrintable(error));
    MockRule rule;
    rule.name = QStringLiteral("r");
    MockAction ack;
    ack.args = QJsonArray{ 1 };
    rule.actions.append(ack);
    const QString file = dir.filePath(QStringLiteral("rules.json"));
    QVERIFY2(MockRuleFile::save(file, { rule }, &error), qPrintable(error));
    const std::optional<QList<MockRule>> back = MockRuleFile::load(file, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->size(), 1);
    QCOMPARE(back->first().toJson(), rule.toJson());
    QVERIFY(!MockRuleFile::save(dir.filePath(QStringLiteral("no/such/dir/x.json")), { rule }, &error));
}

QTEST_APPLESS_MAIN(tst_MockRules)
#include "tst_mockrules.moc"
