<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CommandLine</name>
    <message>
        <source>Share rooms and broadcasts with other servers through Redis (redis://host:port/db or redis+unix:///path).</source>
        <translation>Räume und Broadcasts über Redis mit anderen Servern teilen (redis://host:port/db oder redis+unix:///pfad).</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>socketio-inspector: built without the Redis adapter (libhiredis-dev, libmsgpack-dev)</source>
        <translation>socketio-inspector: ohne den Redis-Adapter gebaut (libhiredis-dev, libmsgpack-dev)</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <source>Redis: %1</source>
        <translation>Redis: %1</translation>
    </message>
    <message>
        <source>A Socket.IO dev server with an inspector window: watch the namespaces, sockets, rooms and traffic, and emit events. Without a display it runs headless and prints the traffic.</source>
        <translation>Ein Socket.IO-Entwicklungsserver mit Inspektor-Fenster: Namespaces, Sockets, Räume und Datenverkehr beobachten und Ereignisse senden. Ohne Bildschirm läuft er ohne Fenster und gibt den Datenverkehr aus.</translation>
    </message>
    <message>
        <source>TCP port to listen on (0: any free port).</source>
        <translation>TCP-Port, auf dem gelauscht wird (0: ein beliebiger freier Port).</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Engine.IO path.</source>
        <translation>Engine.IO-Pfad.</translation>
    </message>
    <message>
        <source>PATH</source>
        <translation>PFAD</translation>
    </message>
    <message>
        <source>Serve the files of DIR next to the Socket.IO path.</source>
        <translation>Die Dateien aus VERZ neben dem Socket.IO-Pfad ausliefern.</translation>
    </message>
    <message>
        <source>DIR</source>
        <translation>VERZ</translation>
    </message>
    <message>
        <source>Ping interval.</source>
        <translation>Ping-Intervall.</translation>
    </message>
    <message>
        <source>MS</source>
        <translation>MS</translation>
    </message>
    <message>
        <source>Ping timeout.</source>
        <translation>Ping-Zeitlimit.</translation>
    </message>
    <message>
        <source>Allowed CORS origin (&apos;*&apos; for any); may be repeated.</source>
        <translation>Erlaubter CORS-Ursprung (&apos;*&apos; für alle); mehrfach angebbar.</translation>
    </message>
    <message>
        <source>ORIGIN</source>
        <translation>URSPRUNG</translation>
    </message>
    <message>
        <source>No window: print one line per packet.</source>
        <translation>Kein Fenster: eine Zeile pro Paket ausgeben.</translation>
    </message>
    <message>
        <source>Headless: also print ping, pong and noop packets.</source>
        <translation>Ohne Fenster: auch Ping-, Pong- und Noop-Pakete ausgeben.</translation>
    </message>
    <message>
        <source>Headless: only these namespaces (comma-separated, wildcards).</source>
        <translation>Ohne Fenster: nur diese Namespaces (durch Kommas getrennt, Platzhalter erlaubt).</translation>
    </message>
    <message>
        <source>NSP</source>
        <translation>NSP</translation>
    </message>
    <message>
        <source>Headless: only these events (comma-separated, wildcards).</source>
        <translation>Ohne Fenster: nur diese Ereignisse (durch Kommas getrennt, Platzhalter erlaubt).</translation>
    </message>
    <message>
        <source>EVENT</source>
        <translation>EREIGNIS</translation>
    </message>
    <message>
        <source>Demo server: &quot;/&quot; echoes, &quot;/chat&quot; is a chat room, with a few simulated clients.</source>
        <translation>Demo-Server: „/“ sendet Echos, „/chat“ ist ein Chatraum, dazu einige simulierte Clients.</translation>
    </message>
    <message>
        <source>Number of simulated clients with --demo.</source>
        <translation>Anzahl der simulierten Clients bei --demo.</translation>
    </message>
    <message>
        <source>Rows kept in the traffic log.</source>
        <translation>Zeilen, die das Verkehrsprotokoll behält.</translation>
    </message>
    <message>
        <source>ROWS</source>
        <translation>ZEILEN</translation>
    </message>
    <message>
        <source>Save a screenshot of the window to FILE after the delay, then quit.</source>
        <translation>Nach der Wartezeit ein Bildschirmfoto des Fensters in DATEI speichern und beenden.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <source>Delay before the screenshot.</source>
        <translation>Wartezeit vor dem Bildschirmfoto.</translation>
    </message>
    <message>
        <source>socketio-inspector: invalid port %1</source>
        <translation>socketio-inspector: ungültiger Port %1</translation>
    </message>
    <message>
        <source>socketio-inspector: %1 is not a directory</source>
        <translation>socketio-inspector: %1 ist kein Verzeichnis</translation>
    </message>
    <message>
        <source>socketio-inspector: no display found (DISPLAY and WAYLAND_DISPLAY are not set); running headless.</source>
        <translation>socketio-inspector: kein Bildschirm gefunden (DISPLAY und WAYLAND_DISPLAY sind nicht gesetzt); läuft ohne Fenster.</translation>
    </message>
    <message>
        <source>socketio-inspector: cannot listen on port %1: %2</source>
        <translation>socketio-inspector: kann nicht auf Port %1 lauschen: %2</translation>
    </message>
    <message>
        <source>screenshot saved to %1</source>
        <translation>Bildschirmfoto in %1 gespeichert</translation>
    </message>
    <message>
        <source>cannot save the screenshot to %1</source>
        <translation>Bildschirmfoto kann nicht in %1 gespeichert werden</translation>
    </message>
    <message>
        <source>Serve https/wss with this PEM certificate (chain); a renewed file is taken without a restart.</source>
        <translation>https/wss mit diesem PEM-Zertifikat (samt Kette) anbieten; eine erneuerte Datei wird ohne Neustart übernommen.</translation>
    </message>
    <message>
        <source>The unencrypted PEM private key of --tls-cert.</source>
        <translation>Der unverschlüsselte private PEM-Schlüssel zu --tls-cert.</translation>
    </message>
    <message>
        <source>socketio-inspector: TLS needs --tls-cert and --tls-key: %1</source>
        <translation>socketio-inspector: TLS braucht --tls-cert und --tls-key: %1</translation>
    </message>
    <message>
        <source>Serving Socket.IO on %3://localhost:%1%2 (Ctrl+C to stop)</source>
        <translation>Socket.IO läuft auf %3://localhost:%1%2 (Strg+C beendet)</translation>
    </message>
    <message>
        <source>With --headless --connect: record the client session to FILE until stopped.</source>
        <translation>Mit --headless --connect: die Client-Sitzung bis zum Beenden in DATEI aufzeichnen.</translation>
    </message>
    <message>
        <source>With --connect: run the client commands of FILE (JSON Lines; &quot;-&quot;: stdin).</source>
        <translation>Mit --connect: die Client-Befehle aus DATEI ausführen (JSON Lines; „-“: Standardeingabe).</translation>
    </message>
    <message>
        <source>Replay the recording FILE against --connect URL, print the differences; exit code 0: none, 1: differences, 2: error.</source>
        <translation>Die Aufzeichnung DATEI gegen --connect URL wiedergeben und die Unterschiede ausgeben; Exit-Code 0: keine, 1: Unterschiede, 2: Fehler.</translation>
    </message>
    <message>
        <source>With --replay of an exported log: the client source to replay.</source>
        <translation>Mit --replay eines exportierten Protokolls: die wiederzugebende Client-Quelle.</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>With --replay: a JSON path to ignore (order.args[0].id, *.args[1].updatedAt); may be repeated.</source>
        <translation>Mit --replay: ein zu ignorierender JSON-Pfad (order.args[0].id, *.args[1].updatedAt); mehrfach angebbar.</translation>
    </message>
    <message>
        <source>With --replay: also compare ids and timestamps (id, sid, ts, createdAt, ...).</source>
        <translation>Mit --replay: auch IDs und Zeitstempel vergleichen (id, sid, ts, createdAt, ...).</translation>
    </message>
    <message>
        <source>With --replay: &quot;fast&quot; (each emit after the previous ack and the events seen before it) or &quot;recorded&quot; (the recorded delays).</source>
        <translation>Mit --replay: &quot;fast&quot; (jedes Emit nach der vorigen Bestätigung und den zuvor gesehenen Ereignissen) oder &quot;recorded&quot; (die aufgezeichneten Verzögerungen).</translation>
    </message>
    <message>
        <source>MODE</source>
        <translation>MODUS</translation>
    </message>
    <message>
        <source>With --replay: how long to wait for expected events that do not come.</source>
        <translation>Mit --replay: wie lange auf erwartete Ereignisse gewartet wird, die nicht eintreffen.</translation>
    </message>
    <message>
        <source>With --replay: print the differences as JSON.</source>
        <translation>Mit --replay: die Unterschiede als JSON ausgeben.</translation>
    </message>
    <message>
        <source>With --replay: print the replay&apos;s traffic on stderr.</source>
        <translation>Mit --replay: den Datenverkehr der Wiedergabe auf stderr ausgeben.</translation>
    </message>
    <message>
        <source>Answer events with the mock rules of FILE (JSON, see docs/mock-responders.md).</source>
        <translation>Ereignisse mit den Mock-Regeln aus DATEI beantworten (JSON, siehe docs/mock-responders.md).</translation>
    </message>
    <message>
        <source>Attach to a server instrumented for the Socket.IO Admin UI (repeatable; the URL&apos;s path may name the admin namespace). Password: SOCKETIO_ADMIN_PASSWORD.</source>
        <translation>An einen für die Socket.IO Admin UI instrumentierten Server anhängen (mehrfach angebbar; der Pfad der URL kann den Admin-Namespace angeben). Passwort: SOCKETIO_ADMIN_PASSWORD.</translation>
    </message>
    <message>
        <source>--attach: the admin user name.</source>
        <translation>--attach: der Admin-Benutzername.</translation>
    </message>
    <message>
        <source>--attach: the admin namespace (default /admin).</source>
        <translation>--attach: der Admin-Namespace (Standard: /admin).</translation>
    </message>
    <message>
        <source>socketio-inspector: %1</source>
        <translation>socketio-inspector: %1</translation>
    </message>
    <message>
        <source>socketio-inspector: --record and --client-script need --headless --connect URL</source>
        <translation>socketio-inspector: --record und --client-script brauchen --headless --connect URL</translation>
    </message>
    <message>
        <source>socketio-inspector: --replay-timing is fast or recorded</source>
        <translation>socketio-inspector: --replay-timing ist fast oder recorded</translation>
    </message>
    <message>
        <source>Packet encoding of the server and of --attach: json (default) or msgpack.</source>
        <translation>Paketkodierung des Servers und von --attach: json (Vorgabe) oder msgpack.</translation>
    </message>
</context>
<context>
    <name>Inspector::AdminAttachment</name>
    <message>
        <source>disconnected by the server</source>
        <translation>vom Server getrennt</translation>
    </message>
    <message>
        <source>--- connection lost (%1), reconnecting</source>
        <translation>--- Verbindung verloren (%1), verbinde erneut</translation>
    </message>
    <message>
        <source>invalid credentials</source>
        <translation>ungültige Anmeldedaten</translation>
    </message>
    <message>
        <source>--- %1 %2 connected (%3)</source>
        <translation>--- %1 %2 verbunden (%3)</translation>
    </message>
    <message>
        <source>--- %1 %2 disconnected (%3)</source>
        <translation>--- %1 %2 getrennt (%3)</translation>
    </message>
    <message>
        <source>--- %1 %2 joined room %3</source>
        <translation>--- %1 %2 ist Raum %3 beigetreten</translation>
    </message>
    <message>
        <source>--- %1 %2 left room %3</source>
        <translation>--- %1 %2 hat Raum %3 verlassen</translation>
    </message>
    <message numerus="yes">
        <source>--- server %1 on %2 (pid %3): %n client(s)</source>
        <translation>
            <numerusform>--- Server %1 auf %2 (PID %3): %n Client</numerusform>
            <numerusform>--- Server %1 auf %2 (PID %3): %n Clients</numerusform>
        </translation>
    </message>
    <message>
        <source>Not connected to %1.</source>
        <translation>Nicht mit %1 verbunden.</translation>
    </message>
    <message>
        <source>%1 is read-only: it accepts no admin commands.</source>
        <translation>%1 ist schreibgeschützt: nimmt keine Admin-Befehle an.</translation>
    </message>
    <message>
        <source>%1 does not offer the command %2.</source>
        <translation>%1 bietet den Befehl %2 nicht an.</translation>
    </message>
    <message>
        <source>Cannot send the command %1.</source>
        <translation>Der Befehl %1 kann nicht gesendet werden.</translation>
    </message>
    <message>
        <source>Emitted %1 to %2 on %3</source>
        <translation>%1 an %2 auf %3 gesendet</translation>
    </message>
    <message>
        <source>Emitted %1 to %2 in %3 on %4</source>
        <translation>%1 an %2 in %3 auf %4 gesendet</translation>
    </message>
    <message>
        <source>Closed the connection of socket %1</source>
        <translation>Verbindung von Socket %1 geschlossen</translation>
    </message>
    <message>
        <source>Disconnected socket %1 from %2</source>
        <translation>Socket %1 von %2 getrennt</translation>
    </message>
    <message>
        <source>Socket %1 joined %2</source>
        <translation>Socket %1 ist %2 beigetreten</translation>
    </message>
    <message>
        <source>Socket %1 left %2</source>
        <translation>Socket %1 hat %2 verlassen</translation>
    </message>
    <message>
        <source>Emptied room %1</source>
        <translation>Raum %1 geleert</translation>
    </message>
    <message>
        <source>Disconnected every socket of %1</source>
        <translation>Alle Sockets von %1 getrennt</translation>
    </message>
</context>
<context>
    <name>Inspector::ArgumentEditor</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Binary (hex)</source>
        <translation>Binär (hex)</translation>
    </message>
    <message>
        <source>Binary (base64)</source>
        <translation>Binär (Base64)</translation>
    </message>
    <message>
        <source>Binary (file)</source>
        <translation>Binär (Datei)</translation>
    </message>
    <message>
        <source>any JSON value: &quot;text&quot;, 42, {&quot;key&quot;: [1, 2]}</source>
        <translation>beliebiger JSON-Wert: &quot;Text&quot;, 42, {&quot;Schlüssel&quot;: [1, 2]}</translation>
    </message>
    <message>
        <source>Remove this argument</source>
        <translation>Dieses Argument entfernen</translation>
    </message>
    <message>
        <source>hex bytes, e.g. de ad be ef</source>
        <translation>Bytes in Hex, z. B. de ad be ef</translation>
    </message>
    <message>
        <source>base64, e.g. 3q2+7w==</source>
        <translation>Base64, z. B. 3q2+7w==</translation>
    </message>
    <message>
        <source>path of a file to send as binary</source>
        <translation>Pfad einer Datei, die binär gesendet wird</translation>
    </message>
    <message>
        <source>Binary argument</source>
        <translation>Binäres Argument</translation>
    </message>
    <message>
        <source>Empty: write a JSON value (&quot;&quot; for an empty string, null for null).</source>
        <translation>Leer: einen JSON-Wert eingeben (&quot;&quot; für eine leere Zeichenkette, null für null).</translation>
    </message>
    <message>
        <source>Invalid JSON at character %1: %2</source>
        <translation>Ungültiges JSON bei Zeichen %1: %2</translation>
    </message>
    <message>
        <source>One value per argument: use another argument or an array.</source>
        <translation>Ein Wert pro Argument: ein weiteres Argument oder ein Array verwenden.</translation>
    </message>
    <message>
        <source>Valid JSON (%1)</source>
        <translation>Gültiges JSON (%1)</translation>
    </message>
    <message>
        <source>Not hexadecimal: only 0-9, a-f and spaces.</source>
        <translation>Nicht hexadezimal: nur 0-9, a-f und Leerzeichen.</translation>
    </message>
    <message>
        <source>An odd number of hex digits.</source>
        <translation>Eine ungerade Anzahl von Hex-Ziffern.</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n Byte</numerusform>
            <numerusform>%n Bytes</numerusform>
        </translation>
    </message>
    <message>
        <source>Not valid base64.</source>
        <translation>Kein gültiges Base64.</translation>
    </message>
    <message>
        <source>Choose a file.</source>
        <translation>Eine Datei auswählen.</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>%1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Too large: at most %1.</source>
        <translation>Zu groß: höchstens %1.</translation>
    </message>
    <message>
        <source>%1, read when sending</source>
        <translation>%1, wird beim Senden gelesen</translation>
    </message>
    <message>
        <source>Invalid JSON (as JSON.parse reads it).</source>
        <translation>Ungültiges JSON (so wie JSON.parse es liest).</translation>
    </message>
</context>
<context>
    <name>Inspector::AttachController</name>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>attached</source>
        <translation>angehängt</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>verbindet erneut</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>detached</source>
        <translation>gelöst</translation>
    </message>
    <message>
        <source>A&amp;ttach to server…</source>
        <translation>An Server an&amp;hängen …</translation>
    </message>
    <message>
        <source>&amp;Detach</source>
        <translation>Lö&amp;sen</translation>
    </message>
    <message>
        <source>This inspector&apos;s server</source>
        <translation>Server dieses Inspektors</translation>
    </message>
    <message>
        <source>Which server the tree, the details and the actions are about</source>
        <translation>Auf welchen Server sich Baum, Details und Aktionen beziehen</translation>
    </message>
    <message>
        <source>Watch and drive a server through the Socket.IO Admin UI protocol</source>
        <translation>Einen Server über das Protokoll der Socket.IO Admin UI beobachten und steuern</translation>
    </message>
    <message>
        <source>Leave the selected attached server</source>
        <translation>Den ausgewählten angehängten Server lösen</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Server id</source>
        <translation>Server-ID</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>PID</source>
        <translation>PID</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Polling</source>
        <translation>Polling</translation>
    </message>
    <message>
        <source>Namespaces</source>
        <translation>Namespaces</translation>
    </message>
    <message>
        <source>Last report</source>
        <translation>Letzter Bericht</translation>
    </message>
    <message>
        <source>No server attached. File → Attach to server…</source>
        <translation>Kein Server angehängt. Datei → An Server anhängen …</translation>
    </message>
    <message>
        <source>Attached: %1</source>
        <translation>Angehängt: %1</translation>
    </message>
    <message>
        <source>Attached: %1 (%2)</source>
        <translation>Angehängt: %1 (%2)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Detached from %1</source>
        <translation>Von %1 gelöst</translation>
    </message>
    <message>
        <source>The tree shows this inspector&apos;s server.</source>
        <translation>Der Baum zeigt den Server dieses Inspektors.</translation>
    </message>
    <message>
        <source>%1 at %2, admin namespace %3: %4</source>
        <translation>%1 auf %2, Admin-Namespace %3: %4</translation>
    </message>
    <message>
        <source>Read-only: no commands.</source>
        <translation>Schreibgeschützt: keine Befehle.</translation>
    </message>
    <message>
        <source>Commands: %1</source>
        <translation>Befehle: %1</translation>
    </message>
    <message>
        <source>Raw packets: on.</source>
        <translation>Rohpakete: an.</translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>vor %n s</numerusform>
            <numerusform>vor %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector::AttachDialog</name>
    <message>
        <source>Raw packets if the server offers them (our servers)</source>
        <translation>Rohpakete, falls der Server sie anbietet (unsere Server)</translation>
    </message>
    <message>
        <source>Attach to server</source>
        <translation>An Server anhängen</translation>
    </message>
    <message>
        <source>/admin (or the URL&apos;s path)</source>
        <translation>/admin (oder der Pfad der URL)</translation>
    </message>
    <message>
        <source>empty: no authentication</source>
        <translation>leer: keine Authentifizierung</translation>
    </message>
    <message>
        <source>Server &amp;URL:</source>
        <translation>Server-&amp;URL:</translation>
    </message>
    <message>
        <source>Admin &amp;namespace:</source>
        <translation>Admin-&amp;Namespace:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>The server must be instrumented for the Socket.IO Admin UI (node&apos;s instrument(), or SocketIo::AdminInstrumentation). The password is kept only while attached.</source>
        <translation>Der Server muss für die Socket.IO Admin UI instrumentiert sein (instrument() in Node oder SocketIo::AdminInstrumentation). Das Passwort wird nur behalten, solange er angehängt ist.</translation>
    </message>
    <message>
        <source>&amp;Attach</source>
        <translation>&amp;Anhängen</translation>
    </message>
</context>
<context>
    <name>Inspector::ChartWidget</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>-%1 s</source>
        <translation>-%1 s</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
</context>
<context>
    <name>Inspector::ChartsPanel</name>
    <message>
        <source>Connected sockets</source>
        <translation>Verbundene Sockets</translation>
    </message>
    <message>
        <source>Connects and disconnects</source>
        <translation>Verbindungen und Trennungen</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Ack round trip</source>
        <translation>Ack-Umlaufzeit</translation>
    </message>
    <message>
        <source>sockets</source>
        <translation>Sockets</translation>
    </message>
    <message>
        <source>connects</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>disconnects</source>
        <translation>Trennungen</translation>
    </message>
    <message>
        <source>in</source>
        <translation>ein</translation>
    </message>
    <message>
        <source>out</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>average</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>max</source>
        <translation>Max.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Connects: %1, disconnects: %2</source>
        <translation>Verbindungen: %1, Trennungen: %2</translation>
    </message>
    <message>
        <source>Disconnect reasons: %1</source>
        <translation>Trennungsgründe: %1</translation>
    </message>
</context>
<context>
    <name>Inspector::ClientCommandLine</name>
    <message>
        <source>Connect a client to URL (e.g. http://localhost:3000/chat: the path is the namespace); may be repeated, URLs of one server share one connection.</source>
        <translation>Einen Client mit URL verbinden (z. B. http://localhost:3000/chat: der Pfad ist der Namespace); mehrfach angebbar, URLs desselben Servers teilen sich eine Verbindung.</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Client: the auth payload (a JSON object) of every namespace.</source>
        <translation>Client: die Auth-Nutzdaten (ein JSON-Objekt) für jeden Namespace.</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Client: an extra HTTP header &quot;Name: value&quot;; may be repeated.</source>
        <translation>Client: ein zusätzlicher HTTP-Header „Name: Wert“; mehrfach angebbar.</translation>
    </message>
    <message>
        <source>HEADER</source>
        <translation>HEADER</translation>
    </message>
    <message>
        <source>Client transports: polling, websocket or polling,websocket (the default).</source>
        <translation>Client-Transporte: polling, websocket oder polling,websocket (Standard).</translation>
    </message>
    <message>
        <source>LIST</source>
        <translation>LISTE</translation>
    </message>
    <message>
        <source>Client: speak Engine.IO v3, for socket.io 2.x servers.</source>
        <translation>Client: Engine.IO v3 sprechen, für socket.io-2.x-Server.</translation>
    </message>
    <message>
        <source>Client: trust the PEM certificates of FILE (https, wss).</source>
        <translation>Client: den PEM-Zertifikaten aus DATEI vertrauen (https, wss).</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <source>Client: the Engine.IO path of the server (default /socket.io/).</source>
        <translation>Client: der Engine.IO-Pfad des Servers (Standard: /socket.io/).</translation>
    </message>
    <message>
        <source>PATH</source>
        <translation>PFAD</translation>
    </message>
    <message>
        <source>Client: reconnection attempts before giving up (0: no reconnection; default: unlimited).</source>
        <translation>Client: Wiederverbindungsversuche vor dem Aufgeben (0: keine Wiederverbindung; Standard: unbegrenzt).</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>invalid header &quot;%1&quot; (expected &quot;Name: value&quot;)</source>
        <translation>ungültiger Header „%1“ (erwartet: „Name: Wert“)</translation>
    </message>
    <message>
        <source>invalid transports &quot;%1&quot; (polling, websocket or polling,websocket)</source>
        <translation>ungültige Transporte „%1“ (polling, websocket oder polling,websocket)</translation>
    </message>
    <message>
        <source>invalid number of reconnection attempts &quot;%1&quot;</source>
        <translation>ungültige Anzahl von Wiederverbindungsversuchen „%1“</translation>
    </message>
    <message>
        <source>--connect %1: %2</source>
        <translation>--connect %1: %2</translation>
    </message>
</context>
<context>
    <name>Inspector::ClientConnection</name>
    <message>
        <source>connected (sid %1, %2)</source>
        <translation>verbunden (sid %1, %2)</translation>
    </message>
    <message>
        <source>disconnected (%1)</source>
        <translation>getrennt (%1)</translation>
    </message>
    <message>
        <source>connect_error: %1</source>
        <translation>connect_error: %1</translation>
    </message>
    <message>
        <source>reconnecting (attempt %1)</source>
        <translation>verbinde erneut (Versuch %1)</translation>
    </message>
    <message numerus="yes">
        <source>reconnected after %n attempt(s)</source>
        <translation>
            <numerusform>nach %n Versuch wieder verbunden</numerusform>
            <numerusform>nach %n Versuchen wieder verbunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>reconnection failed: giving up after %n attempt(s)</source>
        <translation>
            <numerusform>Wiederverbindung fehlgeschlagen: Abbruch nach %n Versuch</numerusform>
            <numerusform>Wiederverbindung fehlgeschlagen: Abbruch nach %n Versuchen</numerusform>
        </translation>
    </message>
    <message>
        <source>upgraded to %1</source>
        <translation>auf %1 hochgestuft</translation>
    </message>
    <message>
        <source>disconnected (gave up)</source>
        <translation>getrennt (aufgegeben)</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>verbindet erneut</translation>
    </message>
    <message>
        <source>RTT %1 ms</source>
        <translation>RTT %1 ms</translation>
    </message>
    <message>
        <source>probe %1 ms</source>
        <translation>Probe %1 ms</translation>
    </message>
    <message>
        <source>ping %1 s ago</source>
        <translation>Ping vor %1 s</translation>
    </message>
    <message>
        <source>%1 connected as %2</source>
        <translation>%1 verbunden als %2</translation>
    </message>
    <message>
        <source>%1 disconnected (%2)</source>
        <translation>%1 getrennt (%2)</translation>
    </message>
    <message>
        <source>%1 connect_error: %2</source>
        <translation>%1 connect_error: %2</translation>
    </message>
    <message>
        <source>The auth of %1 is not a JSON object.</source>
        <translation>Die Auth-Daten von %1 sind kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>recording to %1</source>
        <translation>Aufzeichnung nach %1</translation>
    </message>
    <message>
        <source>recording to %1 stopped</source>
        <translation>Aufzeichnung nach %1 beendet</translation>
    </message>
</context>
<context>
    <name>Inspector::ClientConnectionDialog</name>
    <message>
        <source>Engine.IO v3 (socket.io 2.x servers)</source>
        <translation>Engine.IO v3 (socket.io-2.x-Server)</translation>
    </message>
    <message>
        <source>Reconnect, attempts (0: unlimited):</source>
        <translation>Wiederverbinden, Versuche (0: unbegrenzt):</translation>
    </message>
    <message>
        <source>Save this connection</source>
        <translation>Diese Verbindung speichern</translation>
    </message>
    <message>
        <source>New client connection</source>
        <translation>Neue Client-Verbindung</translation>
    </message>
    <message>
        <source>client N</source>
        <translation>Client N</translation>
    </message>
    <message>
        <source>/, /chat, /admin</source>
        <translation>/, /chat, /admin</translation>
    </message>
    <message>
        <source>{&quot;token&quot;: &quot;...&quot;} (sent with every namespace)</source>
        <translation>{&quot;token&quot;: &quot;...&quot;} (mit jedem Namespace gesendet)</translation>
    </message>
    <message>
        <source>Authorization: Bearer ...
X-Name: value</source>
        <translation>Authorization: Bearer ...
X-Name: Wert</translation>
    </message>
    <message>
        <source>a=1&amp;b=2</source>
        <translation>a=1&amp;b=2</translation>
    </message>
    <message>
        <source>polling, then upgrade to WebSocket</source>
        <translation>Polling, dann Hochstufen auf WebSocket</translation>
    </message>
    <message>
        <source>polling only</source>
        <translation>nur Polling</translation>
    </message>
    <message>
        <source>WebSocket only</source>
        <translation>nur WebSocket</translation>
    </message>
    <message>
        <source>CA certificates</source>
        <translation>CA-Zertifikate</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt);;All files (*)</source>
        <translation>PEM-Dateien (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Saved:</source>
        <translation>Gespeichert:</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>Namespaces:</source>
        <translation>Namespaces:</translation>
    </message>
    <message>
        <source>Auth (JSON):</source>
        <translation>Auth (JSON):</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>Header:</translation>
    </message>
    <message>
        <source>Query:</source>
        <translation>Query:</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>Pfad:</translation>
    </message>
    <message>
        <source>Transports:</source>
        <translation>Transporte:</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>CA-Datei:</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>(no saved connections)</source>
        <translation>(keine gespeicherten Verbindungen)</translation>
    </message>
    <message>
        <source>(choose a saved connection)</source>
        <translation>(gespeicherte Verbindung auswählen)</translation>
    </message>
    <message>
        <source>The header &quot;%1&quot; is not &quot;Name: value&quot;.</source>
        <translation>Der Header „%1“ hat nicht die Form „Name: Wert“.</translation>
    </message>
</context>
<context>
    <name>Inspector::ClientConnectionList</name>
    <message>
        <source>client %1</source>
        <translation>Client %1</translation>
    </message>
</context>
<context>
    <name>Inspector::ClientConnectionOptions</name>
    <message>
        <source>The URL must be http://, https://, ws:// or wss:// with a host, e.g. http://localhost:3000</source>
        <translation>Die URL muss mit http://, https://, ws:// oder wss:// beginnen und einen Host enthalten, z. B. http://localhost:3000</translation>
    </message>
    <message>
        <source>The auth of %1 is not a JSON object.</source>
        <translation>Die Auth-Daten von %1 sind kein JSON-Objekt.</translation>
    </message>
    <message>
        <source>Cannot read the CA file %1.</source>
        <translation>Die CA-Datei %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Choose at least one transport.</source>
        <translation>Mindestens einen Transport auswählen.</translation>
    </message>
    <message>
        <source>The ack reply of %1 is not valid JSON.</source>
        <translation>Die Ack-Antwort für %1 ist kein gültiges JSON.</translation>
    </message>
</context>
<context>
    <name>Inspector::ClientsPanel</name>
    <message>
        <source>argument %1</source>
        <translation>Argument %1</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Neu …</translation>
    </message>
    <message>
        <source>Namespace…</source>
        <translation>Namespace …</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Only pinned events</source>
        <translation>Nur angeheftete Ereignisse</translation>
    </message>
    <message>
        <source>New &amp;client connection…</source>
        <translation>Neue &amp;Client-Verbindung …</translation>
    </message>
    <message>
        <source>Sa&amp;ved client connections</source>
        <translation>&amp;Gespeicherte Client-Verbindungen</translation>
    </message>
    <message>
        <source>Connect to a Socket.IO server as a client</source>
        <translation>Als Client mit einem Socket.IO-Server verbinden</translation>
    </message>
    <message>
        <source>Connect another namespace on the selected connection</source>
        <translation>Einen weiteren Namespace über die ausgewählte Verbindung verbinden</translation>
    </message>
    <message>
        <source>Keep the selected connection among the saved connections</source>
        <translation>Die ausgewählte Verbindung bei den gespeicherten Verbindungen ablegen</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Latest arguments</source>
        <translation>Letzte Argumente</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>event name to listen to</source>
        <translation>Name des zu empfangenden Ereignisses</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>Anheften</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>Lösen</translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation>Angeheftet</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumente</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>Ack reply (JSON arguments)</source>
        <translation>Ack-Antwort (JSON-Argumente)</translation>
    </message>
    <message>
        <source>event (* for any)</source>
        <translation>Ereignis (* für alle)</translation>
    </message>
    <message>
        <source>[&quot;ok&quot;, {&quot;n&quot;: 1}]</source>
        <translation>[&quot;ok&quot;, {&quot;n&quot;: 1}]</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>Festlegen</translation>
    </message>
    <message>
        <source>When the server emits with an ack, this client answers at once: with the reply set for the event, else with an empty ack.</source>
        <translation>Wenn der Server mit Ack sendet, antwortet dieser Client sofort: mit der für das Ereignis festgelegten Antwort, sonst mit einem leeren Ack.</translation>
    </message>
    <message>
        <source>Ack replies</source>
        <translation>Ack-Antworten</translation>
    </message>
    <message>
        <source>Ack reply</source>
        <translation>Ack-Antwort</translation>
    </message>
    <message>
        <source>The reply is not valid JSON.</source>
        <translation>Die Antwort ist kein gültiges JSON.</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>abgelehnt: %1</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <source>disconnected (%1)</source>
        <translation>getrennt (%1)</translation>
    </message>
    <message>
        <source>No client connection. &lt;b&gt;New…&lt;/b&gt; (Ctrl+Shift+N) connects to a Socket.IO server as a client, like Postman or Firecamp; its packets appear in the traffic log.</source>
        <translation>Keine Client-Verbindung. &lt;b&gt;Neu …&lt;/b&gt; (Strg+Umschalt+N) verbindet sich als Client mit einem Socket.IO-Server, wie Postman oder Firecamp; seine Pakete erscheinen im Verkehrsprotokoll.</translation>
    </message>
    <message>
        <source>Select a client connection.</source>
        <translation>Eine Client-Verbindung auswählen.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Engine.IO v3 (socket.io 2.x)</source>
        <translation>Engine.IO v3 (socket.io 2.x)</translation>
    </message>
    <message>
        <source>Engine.IO v4 (socket.io 3/4)</source>
        <translation>Engine.IO v4 (socket.io 3/4)</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>Transport</translation>
    </message>
    <message>
        <source>Engine.IO sid</source>
        <translation>Engine.IO-sid</translation>
    </message>
    <message>
        <source>Ping RTT</source>
        <translation>Ping-RTT</translation>
    </message>
    <message>
        <source>%1 ms (client ping → server pong)</source>
        <translation>%1 ms (Client-Ping → Server-Pong)</translation>
    </message>
    <message>
        <source>not measured yet</source>
        <translation>noch nicht gemessen</translation>
    </message>
    <message>
        <source>Probe RTT</source>
        <translation>Probe-RTT</translation>
    </message>
    <message>
        <source>%1 ms (WebSocket upgrade probe)</source>
        <translation>%1 ms (Probe für das WebSocket-Upgrade)</translation>
    </message>
    <message>
        <source>none (no upgrade probe)</source>
        <translation>keine (keine Upgrade-Probe)</translation>
    </message>
    <message>
        <source>Server ping</source>
        <translation>Server-Ping</translation>
    </message>
    <message>
        <source>%1 s ago (interval %2 ms)</source>
        <translation>vor %1 s (Intervall %2 ms)</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>socket %1</source>
        <translation>Socket %1</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Query</translation>
    </message>
    <message>
        <source>Transports</source>
        <translation>Transporte</translation>
    </message>
    <message>
        <source>(not received yet)</source>
        <translation>(noch nicht empfangen)</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %2 · %n time(s)</source>
        <translation>
            <numerusform>%1 · %2 · %n-mal</numerusform>
            <numerusform>%1 · %2 · %n-mal</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 [ack %2]</source>
        <translation>%1 [Ack %2]</translation>
    </message>
    <message>
        <source>sent by this client</source>
        <translation>von diesem Client gesendet</translation>
    </message>
    <message>
        <source>received from the server</source>
        <translation>vom Server empfangen</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>beantwortet</translation>
    </message>
    <message>
        <source>ack %1</source>
        <translation>Ack %1</translation>
    </message>
    <message>
        <source>(empty ack)</source>
        <translation>(leeres Ack)</translation>
    </message>
    <message>
        <source>Edit client connection</source>
        <translation>Client-Verbindung bearbeiten</translation>
    </message>
    <message>
        <source>Connect namespace</source>
        <translation>Namespace verbinden</translation>
    </message>
    <message>
        <source>{&quot;token&quot;: &quot;...&quot;} (optional)</source>
        <translation>{&quot;token&quot;: &quot;...&quot;} (optional)</translation>
    </message>
    <message>
        <source>Namespace:</source>
        <translation>Namespace:</translation>
    </message>
    <message>
        <source>Auth (JSON):</source>
        <translation>Auth (JSON):</translation>
    </message>
    <message>
        <source>Save connection</source>
        <translation>Verbindung speichern</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>Connect namespace…</source>
        <translation>Namespace verbinden …</translation>
    </message>
    <message>
        <source>Emit from %1…</source>
        <translation>Von %1 senden …</translation>
    </message>
    <message>
        <source>Disconnect %1</source>
        <translation>%1 trennen</translation>
    </message>
    <message>
        <source>Connect %1</source>
        <translation>%1 verbinden</translation>
    </message>
    <message>
        <source>Edit connection…</source>
        <translation>Verbindung bearbeiten …</translation>
    </message>
    <message>
        <source>Save connection…</source>
        <translation>Verbindung speichern …</translation>
    </message>
    <message>
        <source>Record…</source>
        <translation>Aufzeichnen …</translation>
    </message>
    <message>
        <source>Record the selected connection&apos;s session to a file, to replay it later against a server (Tools → Replay recording…)</source>
        <translation>Die Sitzung der gewählten Verbindung in eine Datei aufzeichnen, um sie später gegen einen Server wiederzugeben (Werkzeuge → Aufzeichnung wiedergeben …)</translation>
    </message>
    <message>
        <source>Record %1 to</source>
        <translation>%1 aufzeichnen nach</translation>
    </message>
    <message>
        <source>Recordings (*.jsonl);;All files (*)</source>
        <translation>Aufzeichnungen (*.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>● recording</source>
        <translation>● Aufzeichnung</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Aufzeichnen</translation>
    </message>
    <message>
        <source>Cannot record to %1: %2</source>
        <translation>Aufzeichnung nach %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>Aufzeichnung beenden</translation>
    </message>
    <message>
        <source>Recording to %1</source>
        <translation>Aufzeichnung nach %1</translation>
    </message>
</context>
<context>
    <name>Inspector::EmitComposer</name>
    <message>
        <source>%1 room %2</source>
        <translation>%1 Raum %2</translation>
    </message>
    <message>
        <source>%1 socket %2</source>
        <translation>%1 Socket %2</translation>
    </message>
    <message>
        <source>&lt;binary&gt;</source>
        <translation>&lt;binär&gt;</translation>
    </message>
    <message>
        <source>Room:</source>
        <translation>Raum:</translation>
    </message>
    <message>
        <source>Socket:</source>
        <translation>Socket:</translation>
    </message>
    <message>
        <source>Except rooms:</source>
        <translation>Außer Räumen:</translation>
    </message>
    <message>
        <source>Ask for an acknowledgement, timeout</source>
        <translation>Bestätigung (Ack) anfordern, Zeitlimit</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Raum</translation>
    </message>
    <message>
        <source>Socket</source>
        <translation>Socket</translation>
    </message>
    <message>
        <source>room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <source>socket id (select one in the tree)</source>
        <translation>Socket-ID (im Baum auswählen)</translation>
    </message>
    <message>
        <source>comma-separated rooms to leave out</source>
        <translation>auszulassende Räume, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>event name</source>
        <translation>Ereignisname</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>Ziel:</translation>
    </message>
    <message>
        <source>Event:</source>
        <translation>Ereignis:</translation>
    </message>
    <message>
        <source>Add argument</source>
        <translation>Argument hinzufügen</translation>
    </message>
    <message>
        <source>Arguments:</source>
        <translation>Argumente:</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Save current…</source>
        <translation>Aktuelle speichern …</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <source>Double-click to load a message into the composer</source>
        <translation>Doppelklick lädt eine Nachricht in den Editor</translation>
    </message>
    <message>
        <source>Save message</source>
        <translation>Nachricht speichern</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>acknowledged in %1 ms</source>
        <translation>bestätigt nach %1 ms</translation>
    </message>
    <message>
        <source>timed out after %1 ms</source>
        <translation>Zeitlimit nach %1 ms überschritten</translation>
    </message>
    <message>
        <source>disconnected before the ack</source>
        <translation>vor der Bestätigung getrennt</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>reply %1</source>
        <translation>Antwort %1</translation>
    </message>
    <message numerus="yes">
        <source>%n argument(s)</source>
        <translation>
            <numerusform>%n Argument</numerusform>
            <numerusform>%n Argumente</numerusform>
        </translation>
    </message>
    <message>
        <source>argument %1</source>
        <translation>Argument %1</translation>
    </message>
    <message>
        <source>Fill in the event and the target, and fix the arguments marked in red.</source>
        <translation>Ereignis und Ziel ausfüllen und die rot markierten Argumente korrigieren.</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>%1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>There is no namespace %1.</source>
        <translation>Es gibt keinen Namespace %1.</translation>
    </message>
    <message>
        <source>Socket %1 is not connected to %2.</source>
        <translation>Socket %1 ist nicht mit %2 verbunden.</translation>
    </message>
    <message>
        <source>%1 to socket %2</source>
        <translation>%1 an Socket %2</translation>
    </message>
    <message>
        <source>waiting for the ack…</source>
        <translation>warte auf die Bestätigung …</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>room %1</source>
        <translation>Raum %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 to %2 (%n socket(s))</source>
        <translation>
            <numerusform>%1 an %2 (%n Socket)</numerusform>
            <numerusform>%1 an %2 (%n Sockets)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>waiting for %n ack(s)…</source>
        <translation>
            <numerusform>warte auf %n Bestätigung …</numerusform>
            <numerusform>warte auf %n Bestätigungen …</numerusform>
        </translation>
    </message>
    <message>
        <source>server, as %1 on %2</source>
        <translation>Server, als %1 auf %2</translation>
    </message>
    <message>
        <source>The client connection that emits (the Clients pane)</source>
        <translation>Die Client-Verbindung, die sendet (Bereich „Clients“)</translation>
    </message>
    <message>
        <source>Client:</source>
        <translation>Client:</translation>
    </message>
    <message>
        <source>As client</source>
        <translation>Als Client</translation>
    </message>
    <message>
        <source>%1 has no namespace %2 (Connect namespace… in the Clients pane).</source>
        <translation>%1 hat keinen Namespace %2 („Namespace verbinden …“ im Bereich „Clients“).</translation>
    </message>
    <message>
        <source>There is no client connection %1.</source>
        <translation>Es gibt keine Client-Verbindung %1.</translation>
    </message>
    <message>
        <source>%1 as %2 on %3</source>
        <translation>%1 als %2 auf %3</translation>
    </message>
    <message>
        <source>buffered until connected</source>
        <translation>bis zur Verbindung gepuffert</translation>
    </message>
    <message>
        <source>%1 is a reserved event name.</source>
        <translation>%1 ist ein reservierter Ereignisname.</translation>
    </message>
    <message>
        <source>not sent: too many acks pending</source>
        <translation>nicht gesendet: zu viele Bestätigungen ausstehend</translation>
    </message>
</context>
<context>
    <name>Inspector::FlowDiff</name>
    <message>
        <source>an empty path</source>
        <translation>ein leerer Pfad</translation>
    </message>
    <message>
        <source>a path with a namespace needs a &apos;:&apos; after it (/chat:news.args[0])</source>
        <translation>ein Pfad mit Namespace braucht danach ein &apos;:&apos; (/chat:news.args[0])</translation>
    </message>
    <message>
        <source>unbalanced brackets</source>
        <translation>unausgeglichene Klammern</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>(fehlt)</translation>
    </message>
    <message numerus="yes">
        <source>&lt;binary, %n byte(s): %1&gt;</source>
        <translation>
            <numerusform>&lt;binär, %n Byte: %1&gt;</numerusform>
            <numerusform>&lt;binär, %n Bytes: %1&gt;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector::FlowDifference</name>
    <message>
        <source>missing %1: %2</source>
        <translation>fehlt %1: %2</translation>
    </message>
    <message>
        <source>extra %1: %2</source>
        <translation>zusätzlich %1: %2</translation>
    </message>
    <message>
        <source>order: %1 now comes before %2 (recorded after it)</source>
        <translation>Reihenfolge: %1 kommt jetzt vor %2 (aufgezeichnet danach)</translation>
    </message>
    <message>
        <source>order: %1 now comes after %2 (recorded before it)</source>
        <translation>Reihenfolge: %1 kommt jetzt nach %2 (aufgezeichnet davor)</translation>
    </message>
</context>
<context>
    <name>Inspector::FlowRecorder</name>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Inspector::FlowRecording</name>
    <message>
        <source>line %1: not a JSON object (%2)</source>
        <translation>Zeile %1: kein JSON-Objekt (%2)</translation>
    </message>
    <message>
        <source>line %1: not a recording (format “%2”)</source>
        <translation>Zeile %1: keine Aufzeichnung (Format „%2“)</translation>
    </message>
    <message>
        <source>unsupported recording version %1</source>
        <translation>nicht unterstützte Aufzeichnungsversion %1</translation>
    </message>
    <message>
        <source>line %1: not a traffic row</source>
        <translation>Zeile %1: keine Verkehrszeile</translation>
    </message>
    <message>
        <source>the recording has no client traffic</source>
        <translation>die Aufzeichnung enthält keinen Client-Verkehr</translation>
    </message>
    <message>
        <source>no rows seen by a client (export a client connection&apos;s rows)</source>
        <translation>keine von einem Client gesehenen Zeilen (die Zeilen einer Client-Verbindung exportieren)</translation>
    </message>
    <message>
        <source>rows of several clients (%1): choose one</source>
        <translation>Zeilen mehrerer Clients (%1): einen auswählen</translation>
    </message>
    <message>
        <source>no rows of client “%1”</source>
        <translation>keine Zeilen von Client „%1“</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>Inspector::FlowReplayer</name>
    <message>
        <source>cannot connect to %1: no answer within %2 ms</source>
        <translation>keine Verbindung zu %1: keine Antwort innerhalb von %2 ms</translation>
    </message>
    <message>
        <source>the recording connects no namespace: nothing to replay</source>
        <translation>die Aufzeichnung verbindet keinen Namespace: nichts wiederzugeben</translation>
    </message>
    <message>
        <source>not a server URL: %1</source>
        <translation>keine Server-URL: %1</translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation>keine Verbindung zu %1: %2</translation>
    </message>
</context>
<context>
    <name>Inspector::HarFormat</name>
    <message>
        <source>Not a JSON document: %1 at offset %2</source>
        <translation>Kein JSON-Dokument: %1 an Position %2</translation>
    </message>
    <message>
        <source>Not a HAR file: log.entries is missing</source>
        <translation>Keine HAR-Datei: log.entries fehlt</translation>
    </message>
</context>
<context>
    <name>Inspector::HeadlessAttach</name>
    <message>
        <source>--- attached to %1 (raw packets)</source>
        <translation>--- an %1 angehängt (Rohpakete)</translation>
    </message>
    <message>
        <source>--- attached to %1 (%2)</source>
        <translation>--- an %1 angehängt (%2)</translation>
    </message>
    <message>
        <source>socketio-inspector: %1: %2</source>
        <translation>socketio-inspector: %1: %2</translation>
    </message>
</context>
<context>
    <name>Inspector::HeadlessClients</name>
    <message>
        <source>error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>no client connection</source>
        <translation>keine Client-Verbindung</translation>
    </message>
    <message>
        <source>no client connection has %1</source>
        <translation>keine Client-Verbindung hat %1</translation>
    </message>
    <message>
        <source>cannot emit %1 (a reserved name?)</source>
        <translation>%1 kann nicht gesendet werden (ein reservierter Name?)</translation>
    </message>
    <message>
        <source>ack %1 (%2 ms): %3</source>
        <translation>Ack %1 (%2 ms): %3</translation>
    </message>
    <message>
        <source>ack %1 timed out after %2 ms</source>
        <translation>Ack %1: Zeitlimit nach %2 ms überschritten</translation>
    </message>
    <message>
        <source>ack %1: disconnected before the reply</source>
        <translation>Ack %1: vor der Antwort getrennt</translation>
    </message>
    <message>
        <source>no client connection to record</source>
        <translation>keine Client-Verbindung zum Aufzeichnen</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>ack %1: refused, too many acks pending</source>
        <translation>Bestätigung %1: abgelehnt, zu viele Bestätigungen ausstehend</translation>
    </message>
</context>
<context>
    <name>Inspector::HeadlessReplay</name>
    <message>
        <source>socketio-inspector: --ignore %1: %2</source>
        <translation>socketio-inspector: --ignore %1: %2</translation>
    </message>
    <message>
        <source>socketio-inspector: %1: %2</source>
        <translation>socketio-inspector: %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Replaying %1 (%n emit(s)) against %2</source>
        <translation>
            <numerusform>%1 wird gegen %2 wiedergegeben (%n Emit)</numerusform>
            <numerusform>%1 wird gegen %2 wiedergegeben (%n Emits)</numerusform>
        </translation>
    </message>
    <message>
        <source>socketio-inspector: %1</source>
        <translation>socketio-inspector: %1</translation>
    </message>
    <message>
        <source>No differences (%1 emits replayed, %2 items received as recorded).</source>
        <translation>Keine Unterschiede (%1 Emits wiedergegeben, %2 Elemente wie aufgezeichnet empfangen).</translation>
    </message>
    <message numerus="yes">
        <source>%n difference(s) (%1 emits replayed; recorded %2 items, replayed %3).</source>
        <translation>
            <numerusform>%n Unterschied (%1 Emits wiedergegeben; aufgezeichnet %2 Elemente, wiedergegeben %3).</numerusform>
            <numerusform>%n Unterschiede (%1 Emits wiedergegeben; aufgezeichnet %2 Elemente, wiedergegeben %3).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector::JsonView</name>
    <message numerus="yes">
        <source>[%n item(s)]</source>
        <translation>
            <numerusform>[%n Element]</numerusform>
            <numerusform>[%n Elemente]</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{%n key(s)}</source>
        <translation>
            <numerusform>{%n Schlüssel}</numerusform>
            <numerusform>{%n Schlüssel}</numerusform>
        </translation>
    </message>
    <message>
        <source>binary</source>
        <translation>binär</translation>
    </message>
    <message numerus="yes">
        <source>&lt;attachment #%1, %n byte(s)&gt;</source>
        <translation>
            <numerusform>&lt;Anhang #%1, %n Byte&gt;</numerusform>
            <numerusform>&lt;Anhang #%1, %n Bytes&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>hex</source>
        <translation>hex</translation>
    </message>
    <message>
        <source>&lt;attachment #%1, not received&gt;</source>
        <translation>&lt;Anhang #%1, nicht empfangen&gt;</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message numerus="yes">
        <source>… %n more</source>
        <translation>
            <numerusform>… %n weiteres</numerusform>
            <numerusform>… %n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector::MainWindow</name>
    <message>
        <source>Socket.IO Inspector</source>
        <translation>Socket.IO-Inspektor</translation>
    </message>
    <message>
        <source>&amp;Start server</source>
        <translation>Server &amp;starten</translation>
    </message>
    <message>
        <source>S&amp;top server</source>
        <translation>Server &amp;anhalten</translation>
    </message>
    <message>
        <source>&amp;Pause capture</source>
        <translation>Mitschnitt &amp;pausieren</translation>
    </message>
    <message>
        <source>&amp;Clear</source>
        <translation>&amp;Leeren</translation>
    </message>
    <message>
        <source>&amp;Autoscroll</source>
        <translation>&amp;Automatisch scrollen</translation>
    </message>
    <message>
        <source>Follow new packets; stops when you scroll up</source>
        <translation>Neuen Paketen folgen; endet, wenn Sie nach oben scrollen</translation>
    </message>
    <message>
        <source>Filter by &amp;tree selection</source>
        <translation>Nach &amp;Baumauswahl filtern</translation>
    </message>
    <message>
        <source>Selecting a namespace, socket or room in the tree filters the traffic</source>
        <translation>Die Auswahl eines Namespace, Sockets oder Raums im Baum filtert den Datenverkehr</translation>
    </message>
    <message>
        <source>&amp;Import HAR…</source>
        <translation>HAR &amp;importieren …</translation>
    </message>
    <message>
        <source>&amp;Export HAR…</source>
        <translation>HAR &amp;exportieren …</translation>
    </message>
    <message>
        <source>Export JSON &amp;Lines…</source>
        <translation>JSON &amp;Lines exportieren …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Resume &amp;capture</source>
        <translation>Mitschnitt &amp;fortsetzen</translation>
    </message>
    <message>
        <source>Import HAR</source>
        <translation>HAR importieren</translation>
    </message>
    <message>
        <source>HAR files (*.har *.json);;All files (*)</source>
        <translation>HAR-Dateien (*.har *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export HAR</source>
        <translation>HAR exportieren</translation>
    </message>
    <message>
        <source>HAR files (*.har)</source>
        <translation>HAR-Dateien (*.har)</translation>
    </message>
    <message>
        <source>Export JSON Lines</source>
        <translation>JSON Lines exportieren</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl *.ndjson)</source>
        <translation>JSON Lines (*.jsonl *.ndjson)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>&amp;Capture</source>
        <translation>&amp;Mitschnitt</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Emit</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Sent %1</source>
        <translation>Gesendet: %1</translation>
    </message>
    <message>
        <source>Cannot listen on port %1: %2</source>
        <translation>Kann nicht auf Port %1 lauschen: %2</translation>
    </message>
    <message numerus="yes">
        <source>Listening on %1:%2%3 · %n client(s)</source>
        <translation>
            <numerusform>Lauscht auf %1:%2%3 · %n Client</numerusform>
            <numerusform>Lauscht auf %1:%2%3 · %n Clients</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n socket(s)</source>
        <translation>
            <numerusform>%n Socket</numerusform>
            <numerusform>%n Sockets</numerusform>
        </translation>
    </message>
    <message>
        <source>up %1</source>
        <translation>läuft seit %1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>%1 shown</source>
        <translation>%1 angezeigt</translation>
    </message>
    <message numerus="yes">
        <source>%n dropped</source>
        <translation>
            <numerusform>%n verworfen</numerusform>
            <numerusform>%n verworfen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>paused, %n waiting</source>
        <translation>
            <numerusform>pausiert, %n wartet</numerusform>
            <numerusform>pausiert, %n warten</numerusform>
        </translation>
    </message>
    <message>
        <source>That packet is no longer in the buffer.</source>
        <translation>Dieses Paket ist nicht mehr im Puffer.</translation>
    </message>
    <message>
        <source>That packet is hidden by the filters.</source>
        <translation>Dieses Paket wird von den Filtern ausgeblendet.</translation>
    </message>
    <message>
        <source>Edit in composer</source>
        <translation>Im Editor bearbeiten</translation>
    </message>
    <message>
        <source>Re-send to this socket</source>
        <translation>Erneut an diesen Socket senden</translation>
    </message>
    <message>
        <source>Only this socket</source>
        <translation>Nur dieser Socket</translation>
    </message>
    <message>
        <source>Only this client</source>
        <translation>Nur dieser Client</translation>
    </message>
    <message>
        <source>Only event “%1”</source>
        <translation>Nur Ereignis „%1“</translation>
    </message>
    <message>
        <source>Hide event “%1”</source>
        <translation>Ereignis „%1“ ausblenden</translation>
    </message>
    <message>
        <source>Select the paired emit/ack</source>
        <translation>Zugehöriges Emit/Ack auswählen</translation>
    </message>
    <message>
        <source>Copy wire form</source>
        <translation>Leitungsform kopieren</translation>
    </message>
    <message>
        <source>Disconnect socket</source>
        <translation>Socket trennen</translation>
    </message>
    <message>
        <source>Disconnect client</source>
        <translation>Client trennen</translation>
    </message>
    <message>
        <source>Emit to this socket…</source>
        <translation>An diesen Socket senden …</translation>
    </message>
    <message>
        <source>Leave room %1</source>
        <translation>Raum %1 verlassen</translation>
    </message>
    <message>
        <source>Empty room</source>
        <translation>Raum leeren</translation>
    </message>
    <message>
        <source>Emit to this room…</source>
        <translation>An diesen Raum senden …</translation>
    </message>
    <message>
        <source>Emit to this namespace…</source>
        <translation>An diesen Namespace senden …</translation>
    </message>
    <message>
        <source>Disconnect all sockets</source>
        <translation>Alle Sockets trennen</translation>
    </message>
    <message>
        <source>The socket or namespace is gone.</source>
        <translation>Der Socket oder Namespace existiert nicht mehr.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n packet(s) to %1</source>
        <translation>
            <numerusform>%n Paket nach %1 exportiert</numerusform>
            <numerusform>%n Pakete nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n packet(s) from %1; capture is paused</source>
        <translation>
            <numerusform>%n Paket aus %1 importiert; der Mitschnitt ist pausiert</numerusform>
            <numerusform>%n Pakete aus %1 importiert; der Mitschnitt ist pausiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export every packet in the buffer as HAR, whatever the filters show</source>
        <translation>Alle Pakete im Puffer als HAR exportieren, unabhängig von den Filtern</translation>
    </message>
    <message>
        <source>Export every packet in the buffer as JSON Lines</source>
        <translation>Alle Pakete im Puffer als JSON Lines exportieren</translation>
    </message>
    <message>
        <source>Export &amp;shown rows as HAR…</source>
        <translation>&amp;Angezeigte Zeilen als HAR exportieren …</translation>
    </message>
    <message>
        <source>Export only the packets the filters show</source>
        <translation>Nur die Pakete exportieren, die die Filter zeigen</translation>
    </message>
    <message>
        <source>Export shown rows as JSON L&amp;ines…</source>
        <translation>Angezeigte Zeilen als JSON L&amp;ines exportieren …</translation>
    </message>
    <message>
        <source>Settings applied: sessions opened from now on use them.</source>
        <translation>Einstellungen übernommen: Ab jetzt geöffnete Sitzungen verwenden sie.</translation>
    </message>
    <message>
        <source>Load mock rules…</source>
        <translation>Mock-Regeln laden …</translation>
    </message>
    <message>
        <source>&amp;Replay recording…</source>
        <translation>Aufzeichnung &amp;wiedergeben …</translation>
    </message>
    <message>
        <source>Replay a recorded client session against a server and show what differs</source>
        <translation>Eine aufgezeichnete Client-Sitzung gegen einen Server wiedergeben und die Unterschiede zeigen</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Werkzeuge</translation>
    </message>
    <message>
        <source>Mock rules</source>
        <translation>Mock-Regeln</translation>
    </message>
    <message>
        <source>Attached servers</source>
        <translation>Angehängte Server</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>This inspector&apos;s server (:%1)</source>
        <translation>Server dieses Inspektors (:%1)</translation>
    </message>
    <message>
        <source>This inspector&apos;s server (stopped)</source>
        <translation>Server dieses Inspektors (angehalten)</translation>
    </message>
    <message>
        <source>The admin emit command takes no ack and no excluded rooms.</source>
        <translation>Der Admin-Befehl zum Senden kennt weder Ack noch ausgeschlossene Räume.</translation>
    </message>
</context>
<context>
    <name>Inspector::MockAction</name>
    <message>
        <source>mock: rule ‘%1’</source>
        <translation>Mock: Regel ‚%1‘</translation>
    </message>
    <message>
        <source>an action must be an object such as {&quot;ack&quot;: ...} or {&quot;emit&quot;: &quot;event&quot;}</source>
        <translation>eine Aktion muss ein Objekt sein, etwa {&quot;ack&quot;: ...} oder {&quot;emit&quot;: &quot;event&quot;}</translation>
    </message>
    <message>
        <source>an action needs one of &quot;ack&quot;, &quot;emit&quot;, &quot;join&quot;, &quot;leave&quot;, &quot;set&quot;</source>
        <translation>eine Aktion braucht einen der Schlüssel &quot;ack&quot;, &quot;emit&quot;, &quot;join&quot;, &quot;leave&quot;, &quot;set&quot;</translation>
    </message>
    <message>
        <source>an action does one thing; this one has %1</source>
        <translation>eine Aktion tut genau eine Sache; diese hat %1</translation>
    </message>
    <message>
        <source>&quot;emit&quot; needs an event name</source>
        <translation>&quot;emit&quot; braucht einen Ereignisnamen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is a reserved event name and cannot be emitted</source>
        <translation>&quot;%1&quot; ist ein reservierter Ereignisname und kann nicht gesendet werden</translation>
    </message>
    <message>
        <source>&quot;to&quot; must be &quot;sender&quot;, &quot;room&quot; or &quot;all&quot;, not %1</source>
        <translation>&quot;to&quot; muss &quot;sender&quot;, &quot;room&quot; oder &quot;all&quot; sein, nicht %1</translation>
    </message>
    <message>
        <source>an emit to a room needs &quot;room&quot;</source>
        <translation>ein Emit an einen Raum braucht &quot;room&quot;</translation>
    </message>
    <message>
        <source>&quot;room&quot; is given but &quot;to&quot; is &quot;sender&quot;</source>
        <translation>&quot;room&quot; ist angegeben, aber &quot;to&quot; ist &quot;sender&quot;</translation>
    </message>
    <message>
        <source>&quot;exceptSender&quot; must be true or false</source>
        <translation>&quot;exceptSender&quot; muss true oder false sein</translation>
    </message>
    <message>
        <source>&quot;%1&quot; needs a room name</source>
        <translation>&quot;%1&quot; braucht einen Raumnamen</translation>
    </message>
    <message>
        <source>&quot;set&quot; needs an object of socket data, e.g. {&quot;name&quot;: &quot;{{args[0]}}&quot;}</source>
        <translation>&quot;set&quot; braucht ein Objekt mit Socket-Daten, z. B. {&quot;name&quot;: &quot;{{args[0]}}&quot;}</translation>
    </message>
    <message>
        <source>unknown key &quot;%1&quot; in a %2 action</source>
        <translation>unbekannter Schlüssel &quot;%1&quot; in einer %2-Aktion</translation>
    </message>
    <message>
        <source>ack %1</source>
        <translation>Ack %1</translation>
    </message>
    <message>
        <source>sender</source>
        <translation>Absender</translation>
    </message>
    <message>
        <source>room %1</source>
        <translation>Raum %1</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>%1 except sender</source>
        <translation>%1 außer Absender</translation>
    </message>
    <message>
        <source>emit %1 → %2</source>
        <translation>sende %1 → %2</translation>
    </message>
    <message>
        <source>emit %1 %2 → %3</source>
        <translation>sende %1 %2 → %3</translation>
    </message>
    <message>
        <source>join %1</source>
        <translation>betrete %1</translation>
    </message>
    <message>
        <source>leave %1</source>
        <translation>verlasse %1</translation>
    </message>
    <message>
        <source>set %1</source>
        <translation>setze %1</translation>
    </message>
    <message>
        <source> after %1 ms</source>
        <translation> nach %1 ms</translation>
    </message>
</context>
<context>
    <name>Inspector::MockResponder</name>
    <message>
        <source>%1 (skipped: the socket is leaving)</source>
        <translation>%1 (übersprungen: der Socket wird getrennt)</translation>
    </message>
    <message>
        <source>%1 after %2 ms</source>
        <translation>%1 nach %2 ms</translation>
    </message>
    <message>
        <source>%1 (skipped: no ack asked for)</source>
        <translation>%1 (übersprungen: kein Ack angefordert)</translation>
    </message>
</context>
<context>
    <name>Inspector::MockRule</name>
    <message>
        <source>&quot;delay&quot; must be a number of milliseconds (0 to 86400000)</source>
        <translation>&quot;delay&quot; muss eine Anzahl Millisekunden sein (0 bis 86400000)</translation>
    </message>
    <message>
        <source>a rule must be an object</source>
        <translation>eine Regel muss ein Objekt sein</translation>
    </message>
    <message>
        <source>unknown key &quot;%1&quot;</source>
        <translation>unbekannter Schlüssel &quot;%1&quot;</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be a string</source>
        <translation>&quot;%1&quot; muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>&quot;%1&quot; must be true or false</source>
        <translation>&quot;%1&quot; muss true oder false sein</translation>
    </message>
    <message>
        <source>&quot;args&quot; must be an array pattern matched against the arguments, e.g. [{&quot;user&quot;: &quot;*&quot;}]</source>
        <translation>&quot;args&quot; muss ein Array-Muster sein, das mit den Argumenten abgeglichen wird, z. B. [{&quot;user&quot;: &quot;*&quot;}]</translation>
    </message>
    <message>
        <source>&quot;actions&quot; must be an array of actions</source>
        <translation>&quot;actions&quot; muss ein Array von Aktionen sein</translation>
    </message>
    <message>
        <source>actions[%1]: %2</source>
        <translation>actions[%1]: %2</translation>
    </message>
    <message>
        <source>%1: unknown operator %2 (known: %3)</source>
        <translation>%1: unbekannter Operator %2 (bekannt: %3)</translation>
    </message>
    <message>
        <source>%1: an object mixes operators ($...) and keys; use {&quot;key&quot;: {&quot;$op&quot;: ...}}</source>
        <translation>%1: ein Objekt mischt Operatoren ($...) und Schlüssel; {&quot;key&quot;: {&quot;$op&quot;: ...}} verwenden</translation>
    </message>
    <message>
        <source>%1: $regex must be a string</source>
        <translation>%1: $regex muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>%1: bad regular expression: %2</source>
        <translation>%1: fehlerhafter regulärer Ausdruck: %2</translation>
    </message>
    <message>
        <source>%1: $flags without $regex</source>
        <translation>%1: $flags ohne $regex</translation>
    </message>
    <message>
        <source>%1: $exists must be true or false</source>
        <translation>%1: $exists muss true oder false sein</translation>
    </message>
    <message>
        <source>%1: $type must be one of %2</source>
        <translation>%1: $type muss einer der folgenden Werte sein: %2</translation>
    </message>
</context>
<context>
    <name>Inspector::MockRuleDialog</name>
    <message>
        <source>empty</source>
        <translation>leer</translation>
    </message>
    <message>
        <source>invalid JSON at character %1: %2</source>
        <translation>ungültiges JSON bei Zeichen %1: %2</translation>
    </message>
    <message>
        <source>must be a JSON array [...]</source>
        <translation>muss ein JSON-Array [...] sein</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiviert</translation>
    </message>
    <message>
        <source>Continue: also try the following rules</source>
        <translation>Fortfahren: auch die folgenden Regeln prüfen</translation>
    </message>
    <message>
        <source>Mock rule</source>
        <translation>Mock-Regel</translation>
    </message>
    <message>
        <source>/chat, /admin*, * (any)</source>
        <translation>/chat, /admin*, * (alle)</translation>
    </message>
    <message>
        <source>login, chat:*, * (any); connection, disconnect</source>
        <translation>login, chat:*, * (alle); connection, disconnect</translation>
    </message>
    <message>
        <source>Any arguments. A pattern: [{&quot;user&quot;: &quot;*&quot;}, {&quot;$regex&quot;: &quot;^hi&quot;}]</source>
        <translation>Beliebige Argumente. Ein Muster: [{&quot;user&quot;: &quot;*&quot;}, {&quot;$regex&quot;: &quot;^hi&quot;}]</translation>
    </message>
    <message>
        <source>[{&quot;ack&quot;: {&quot;ok&quot;: true}}, {&quot;emit&quot;: &quot;welcome&quot;, &quot;args&quot;: [&quot;{{args[0].user}}&quot;], &quot;to&quot;: &quot;sender&quot;}]</source>
        <translation>[{&quot;ack&quot;: {&quot;ok&quot;: true}}, {&quot;emit&quot;: &quot;welcome&quot;, &quot;args&quot;: [&quot;{{args[0].user}}&quot;], &quot;to&quot;: &quot;sender&quot;}]</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Namespace:</source>
        <translation>Namespace:</translation>
    </message>
    <message>
        <source>Event:</source>
        <translation>Ereignis:</translation>
    </message>
    <message>
        <source>Arguments pattern:</source>
        <translation>Argumentmuster:</translation>
    </message>
    <message>
        <source>Actions:</source>
        <translation>Aktionen:</translation>
    </message>
    <message>
        <source>Delay:</source>
        <translation>Verzögerung:</translation>
    </message>
    <message>
        <source>Actions: {&quot;ack&quot;: V}, {&quot;emit&quot;: &quot;event&quot;, &quot;args&quot;: [...], &quot;to&quot;: &quot;sender&quot; | &quot;room&quot; | &quot;all&quot;, &quot;room&quot;: &quot;name&quot;, &quot;exceptSender&quot;: true}, {&quot;join&quot;: &quot;room&quot;}, {&quot;leave&quot;: &quot;room&quot;}, {&quot;set&quot;: {&quot;key&quot;: V}}, each with an optional &quot;delay&quot;. Templates: {{args[0].name}}, {{socket.id}}, {{socket.data.key}}, {{event}}, {{now}}.</source>
        <translation>Aktionen: {&quot;ack&quot;: V}, {&quot;emit&quot;: &quot;event&quot;, &quot;args&quot;: [...], &quot;to&quot;: &quot;sender&quot; | &quot;room&quot; | &quot;all&quot;, &quot;room&quot;: &quot;name&quot;, &quot;exceptSender&quot;: true}, {&quot;join&quot;: &quot;room&quot;}, {&quot;leave&quot;: &quot;room&quot;}, {&quot;set&quot;: {&quot;key&quot;: V}}, jeweils mit optionalem &quot;delay&quot;. Vorlagen: {{args[0].name}}, {{socket.id}}, {{socket.data.key}}, {{event}}, {{now}}.</translation>
    </message>
    <message>
        <source>Arguments pattern: %1</source>
        <translation>Argumentmuster: %1</translation>
    </message>
    <message>
        <source>Actions: %1</source>
        <translation>Aktionen: %1</translation>
    </message>
    <message>
        <source>Valid: %1</source>
        <translation>Gültig: %1</translation>
    </message>
</context>
<context>
    <name>Inspector::MockRuleFile</name>
    <message>
        <source>rule %1</source>
        <translation>Regel %1</translation>
    </message>
    <message>
        <source>rule %1 (“%2”)</source>
        <translation>Regel %1 („%2“)</translation>
    </message>
    <message>
        <source>%1:%2:%3: %4</source>
        <translation>%1:%2:%3: %4</translation>
    </message>
    <message>
        <source>%1: the file must hold an object {&quot;version&quot;: 1, &quot;rules&quot;: [...]}</source>
        <translation>%1: die Datei muss ein Objekt {&quot;version&quot;: 1, &quot;rules&quot;: [...]} enthalten</translation>
    </message>
    <message>
        <source>%1: &quot;version&quot; is missing (this inspector reads version %2)</source>
        <translation>%1: &quot;version&quot; fehlt (dieser Inspektor liest Version %2)</translation>
    </message>
    <message>
        <source>%1: version %2 is not supported (this inspector reads version %3)</source>
        <translation>%1: Version %2 wird nicht unterstützt (dieser Inspektor liest Version %3)</translation>
    </message>
    <message>
        <source>%1: &quot;rules&quot; must be an array of rules</source>
        <translation>%1: &quot;rules&quot; muss ein Array von Regeln sein</translation>
    </message>
    <message>
        <source>%1: %2: %3</source>
        <translation>%1: %2: %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>Inspector::MockRulesPanel</name>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen …</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten …</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>On</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumente</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>Delay</source>
        <translation>Verzögerung</translation>
    </message>
    <message>
        <source>Hits</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Laden …</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern …</translation>
    </message>
    <message>
        <source>Enable all</source>
        <translation>Alle aktivieren</translation>
    </message>
    <message>
        <source>Disable all</source>
        <translation>Alle deaktivieren</translation>
    </message>
    <message>
        <source>Rules are tried from the top; the first that matches answers</source>
        <translation>Regeln werden von oben nach unten geprüft; die erste passende antwortet</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiviert</translation>
    </message>
    <message>
        <source>any</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1: %2 in %3
%4</source>
        <translation>%1: %2 in %3
%4</translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s)</source>
        <translation>
            <numerusform>%n Regel</numerusform>
            <numerusform>%n Regeln</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) from %1</source>
        <translation>
            <numerusform>%n Regel aus %1</numerusform>
            <numerusform>%n Regeln aus %1</numerusform>
        </translation>
    </message>
    <message>
        <source>rule %1</source>
        <translation>Regel %1</translation>
    </message>
    <message>
        <source>Load mock rules</source>
        <translation>Mock-Regeln laden</translation>
    </message>
    <message>
        <source>Mock rules (*.json);;All files (*)</source>
        <translation>Mock-Regeln (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save mock rules</source>
        <translation>Mock-Regeln speichern</translation>
    </message>
</context>
<context>
    <name>Inspector::ReplayDialog</name>
    <message>
        <source>&amp;Replay</source>
        <translation>&amp;Wiedergeben</translation>
    </message>
    <message>
        <source>Replay recording</source>
        <translation>Aufzeichnung wiedergeben</translation>
    </message>
    <message>
        <source>A recording (.jsonl) or a JSON Lines export of one client</source>
        <translation>Eine Aufzeichnung (.jsonl) oder ein JSON-Lines-Export eines Clients</translation>
    </message>
    <message>
        <source>http://localhost:3000 (empty: the recording&apos;s)</source>
        <translation>http://localhost:3000 (leer: die der Aufzeichnung)</translation>
    </message>
    <message>
        <source>As fast as the acks allow</source>
        <translation>So schnell, wie die Acks es erlauben</translation>
    </message>
    <message>
        <source>With the recorded timing</source>
        <translation>Mit dem aufgezeichneten Zeitverlauf</translation>
    </message>
    <message>
        <source>JSON paths to ignore, one a line: order.args[0].id, *.args[1].updatedAt</source>
        <translation>Zu ignorierende JSON-Pfade, einer pro Zeile: order.args[0].id, *.args[1].updatedAt</translation>
    </message>
    <message>
        <source>Ids and timestamps (id, sid, socketId, timestamp, time, ts, createdAt, updatedAt, date) and the socket&apos;s own ids are always ignored.</source>
        <translation>IDs und Zeitstempel (id, sid, socketId, timestamp, time, ts, createdAt, updatedAt, date) sowie die eigenen IDs des Sockets werden immer ignoriert.</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>Recording:</source>
        <translation>Aufzeichnung:</translation>
    </message>
    <message>
        <source>Server URL:</source>
        <translation>Server-URL:</translation>
    </message>
    <message>
        <source>Timing:</source>
        <translation>Zeitverlauf:</translation>
    </message>
    <message>
        <source>Ignore:</source>
        <translation>Ignorieren:</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Aufgezeichnet</translation>
    </message>
    <message>
        <source>Replayed</source>
        <translation>Wiedergegeben</translation>
    </message>
    <message>
        <source>Recordings (*.jsonl *.json);;All files (*)</source>
        <translation>Aufzeichnungen (*.jsonl *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Cannot replay: %1</source>
        <translation>Wiedergabe nicht möglich: %1</translation>
    </message>
    <message>
        <source>Ignore path “%1”: %2</source>
        <translation>Zu ignorierender Pfad „%1“: %2</translation>
    </message>
    <message>
        <source>Replaying: %1 of %2 emits sent…</source>
        <translation>Wiedergabe: %1 von %2 Emits gesendet …</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1 …</translation>
    </message>
    <message>
        <source>The replay could not run: %1</source>
        <translation>Die Wiedergabe konnte nicht laufen: %1</translation>
    </message>
    <message>
        <source>No differences: %1 emits replayed, %2 items received as recorded.</source>
        <translation>Keine Unterschiede: %1 Emits wiedergegeben, %2 Elemente wie aufgezeichnet empfangen.</translation>
    </message>
    <message numerus="yes">
        <source>%n difference(s): %1 emits replayed; recorded %2 items, replayed %3.</source>
        <translation>
            <numerusform>%n Unterschied: %1 Emits wiedergegeben; aufgezeichnet %2 Elemente, wiedergegeben %3.</numerusform>
            <numerusform>%n Unterschiede: %1 Emits wiedergegeben; aufgezeichnet %2 Elemente, wiedergegeben %3.</numerusform>
        </translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>extra</source>
        <translation>zusätzlich</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <source>order</source>
        <translation>Reihenfolge</translation>
    </message>
    <message>
        <source>after %1</source>
        <translation>nach %1</translation>
    </message>
    <message>
        <source>before %1</source>
        <translation>vor %1</translation>
    </message>
</context>
<context>
    <name>Inspector::ServerActions</name>
    <message>
        <source>Closed the connection of socket %1</source>
        <translation>Verbindung von Socket %1 geschlossen</translation>
    </message>
    <message>
        <source>Disconnected socket %1 from %2</source>
        <translation>Socket %1 von %2 getrennt</translation>
    </message>
    <message>
        <source>Socket %1 cannot join %2 (at its room limit)</source>
        <translation>Socket %1 kann %2 nicht beitreten (Raumlimit erreicht)</translation>
    </message>
    <message>
        <source>Socket %1 joined %2</source>
        <translation>Socket %1 ist %2 beigetreten</translation>
    </message>
    <message>
        <source>Socket %1 left %2</source>
        <translation>Socket %1 hat %2 verlassen</translation>
    </message>
    <message>
        <source>Emptied room %1</source>
        <translation>Raum %1 geleert</translation>
    </message>
    <message>
        <source>Disconnected every socket of %1</source>
        <translation>Alle Sockets von %1 getrennt</translation>
    </message>
</context>
<context>
    <name>Inspector::ServerDetails</name>
    <message>
        <source>Select a namespace, socket or room in the tree.</source>
        <translation>Einen Namespace, Socket oder Raum im Baum auswählen.</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>room name</source>
        <translation>Raumname</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Beitreten</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>Verlassen</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <source>Disconnect this socket from its namespace (the client stays connected)</source>
        <translation>Diesen Socket von seinem Namespace trennen (der Client bleibt verbunden)</translation>
    </message>
    <message>
        <source>Disconnect client</source>
        <translation>Client trennen</translation>
    </message>
    <message>
        <source>Close the whole connection: every namespace of this client</source>
        <translation>Die ganze Verbindung schließen: alle Namespaces dieses Clients</translation>
    </message>
    <message>
        <source>Emit to…</source>
        <translation>Senden an …</translation>
    </message>
    <message>
        <source>Filter traffic</source>
        <translation>Verkehr filtern</translation>
    </message>
    <message>
        <source>Room:</source>
        <translation>Raum:</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>Empty room</source>
        <translation>Raum leeren</translation>
    </message>
    <message>
        <source>Make every member leave the room</source>
        <translation>Alle Mitglieder verlassen den Raum</translation>
    </message>
    <message>
        <source>Disconnect all sockets</source>
        <translation>Alle Sockets trennen</translation>
    </message>
    <message>
        <source>Socket %1 left %2.</source>
        <translation>Socket %1 hat %2 verlassen.</translation>
    </message>
    <message>
        <source>rooms</source>
        <translation>Räume</translation>
    </message>
    <message>
        <source>auth</source>
        <translation>Auth</translation>
    </message>
    <message>
        <source>data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <source>engine session</source>
        <translation>Engine-Sitzung</translation>
    </message>
    <message>
        <source>transport</source>
        <translation>Transport</translation>
    </message>
    <message>
        <source>%1 (upgraded from polling)</source>
        <translation>%1 (von Polling hochgestuft)</translation>
    </message>
    <message>
        <source>remote address</source>
        <translation>entfernte Adresse</translation>
    </message>
    <message>
        <source>connected since</source>
        <translation>verbunden seit</translation>
    </message>
    <message>
        <source>%1 (%2 ago)</source>
        <translation>%1 (vor %2)</translation>
    </message>
    <message>
        <source>last ping round trip</source>
        <translation>letzte Ping-Umlaufzeit</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>not measured yet</source>
        <translation>noch nicht gemessen</translation>
    </message>
    <message>
        <source>own room</source>
        <translation>eigener Raum</translation>
    </message>
    <message>
        <source>headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>query</source>
        <translation>Query</translation>
    </message>
    <message numerus="yes">
        <source>{%n key(s)}</source>
        <translation>
            <numerusform>{%n Schlüssel}</numerusform>
            <numerusform>{%n Schlüssel}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Room &lt;b&gt;%1&lt;/b&gt; in %2: %n member(s)</source>
        <translation>
            <numerusform>Raum &lt;b&gt;%1&lt;/b&gt; in %2: %n Mitglied</numerusform>
            <numerusform>Raum &lt;b&gt;%1&lt;/b&gt; in %2: %n Mitglieder</numerusform>
        </translation>
    </message>
    <message>
        <source>Namespace &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Namespace &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n socket(s)</source>
        <translation>
            <numerusform>%n Socket</numerusform>
            <numerusform>%n Sockets</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation>
            <numerusform>%n Raum</numerusform>
            <numerusform>%n Räume</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector::ServerSettingsPanel</name>
    <message>
        <source>polling</source>
        <translation>Polling</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>TCP port; 0 picks a free one</source>
        <translation>TCP-Port; 0 wählt einen freien</translation>
    </message>
    <message>
        <source>The Engine.IO path clients connect to</source>
        <translation>Der Engine.IO-Pfad, mit dem sich Clients verbinden</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>none (same origin); * or https://example.org, ...</source>
        <translation>keine (gleicher Ursprung); * oder https://example.org, ...</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>Pfad:</translation>
    </message>
    <message>
        <source>Ping interval:</source>
        <translation>Ping-Intervall:</translation>
    </message>
    <message>
        <source>Ping timeout:</source>
        <translation>Ping-Zeitlimit:</translation>
    </message>
    <message>
        <source>CORS origins:</source>
        <translation>CORS-Ursprünge:</translation>
    </message>
    <message>
        <source>Transports:</source>
        <translation>Transporte:</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <source>Use these settings for new sessions while the server runs (a new port listens again)</source>
        <translation>Diese Einstellungen für neue Sitzungen verwenden, während der Server läuft (ein neuer Port wird neu geöffnet)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Show or hide the server&apos;s settings</source>
        <translation>Die Einstellungen des Servers ein- oder ausblenden</translation>
    </message>
</context>
<context>
    <name>Inspector::ServerTreeModel</name>
    <message>
        <source>Sockets (%1)</source>
        <translation>Sockets (%1)</translation>
    </message>
    <message>
        <source>Rooms (%1)</source>
        <translation>Räume (%1)</translation>
    </message>
    <message numerus="yes">
        <source>%n socket(s)</source>
        <translation>
            <numerusform>%n Socket</numerusform>
            <numerusform>%n Sockets</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message>
        <source>Socket %1
Engine.IO session %2
%3, connected since %4</source>
        <translation>Socket %1
Engine.IO-Sitzung %2
%3, verbunden seit %4</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>Inspector::TrafficArchive</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation>%1 kann nicht importiert werden: %2</translation>
    </message>
</context>
<context>
    <name>Inspector::TrafficDetails</name>
    <message>
        <source>Select the paired row</source>
        <translation>Zugehörige Zeile auswählen</translation>
    </message>
    <message>
        <source>Edit in composer</source>
        <translation>Im Editor bearbeiten</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumente</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Roh</translation>
    </message>
    <message>
        <source>Binary</source>
        <translation>Binär</translation>
    </message>
    <message>
        <source>Handshake</source>
        <translation>Handshake</translation>
    </message>
    <message>
        <source>Ack</source>
        <translation>Ack</translation>
    </message>
    <message>
        <source>Select a packet to see its details.</source>
        <translation>Ein Paket auswählen, um seine Details zu sehen.</translation>
    </message>
    <message>
        <source>No acknowledgement.</source>
        <translation>Keine Bestätigung.</translation>
    </message>
    <message>
        <source>session %1</source>
        <translation>Sitzung %1</translation>
    </message>
    <message>
        <source>socket %1</source>
        <translation>Socket %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; from %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; von %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; to %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; an %2</translation>
    </message>
    <message>
        <source>, event &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>, Ereignis &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source> in %1</source>
        <translation> in %1</translation>
    </message>
    <message>
        <source> — %1, %2 via %3</source>
        <translation> — %1, %2 über %3</translation>
    </message>
    <message>
        <source>Argument %1</source>
        <translation>Argument %1</translation>
    </message>
    <message>
        <source>(no arguments)</source>
        <translation>(keine Argumente)</translation>
    </message>
    <message numerus="yes">
        <source>Binary frame, %n byte(s):</source>
        <translation>
            <numerusform>Binärer Frame, %n Byte:</numerusform>
            <numerusform>Binärer Frame, %n Bytes:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;binary frame %1, %n byte(s)&gt;</source>
        <translation>
            <numerusform>&lt;binärer Frame %1, %n Byte&gt;</numerusform>
            <numerusform>&lt;binärer Frame %1, %n Bytes&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Attachment #%1 (%n byte(s))</source>
        <translation>
            <numerusform>Anhang #%1 (%n Byte)</numerusform>
            <numerusform>Anhang #%1 (%n Bytes)</numerusform>
        </translation>
    </message>
    <message>
        <source>The binary attachments have not arrived.</source>
        <translation>Die binären Anhänge sind nicht angekommen.</translation>
    </message>
    <message>
        <source>No binary attachments.</source>
        <translation>Keine binären Anhänge.</translation>
    </message>
    <message>
        <source>auth</source>
        <translation>Auth</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <source>remote address</source>
        <translation>entfernte Adresse</translation>
    </message>
    <message>
        <source>headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>query</source>
        <translation>Query</translation>
    </message>
    <message>
        <source>Acknowledges the emit #%1 (ack id %2).</source>
        <translation>Bestätigt das Emit #%1 (Ack-ID %2).</translation>
    </message>
    <message>
        <source>Acknowledged by packet #%1 (ack id %2).</source>
        <translation>Bestätigt durch Paket #%1 (Ack-ID %2).</translation>
    </message>
    <message>
        <source>Round trip: %1 ms</source>
        <translation>Umlaufzeit: %1 ms</translation>
    </message>
    <message>
        <source>Emit: %1 %2</source>
        <translation>Emit: %1 %2</translation>
    </message>
    <message>
        <source>Reply: %1</source>
        <translation>Antwort: %1</translation>
    </message>
    <message>
        <source>The paired row is no longer in the buffer.</source>
        <translation>Die zugehörige Zeile ist nicht mehr im Puffer.</translation>
    </message>
    <message>
        <source>Asks for an acknowledgement (ack id %1); none has arrived yet.</source>
        <translation>Fordert eine Bestätigung an (Ack-ID %1); bisher ist keine eingetroffen.</translation>
    </message>
    <message>
        <source>Acknowledgement %1; its emit was not captured.</source>
        <translation>Bestätigung %1; das zugehörige Emit wurde nicht mitgeschnitten.</translation>
    </message>
    <message numerus="yes">
        <source>msgpack packet (binary frame), %n byte(s):</source>
        <translation>
            <numerusform>msgpack-Paket (Binärframe), %n Byte:</numerusform>
            <numerusform>msgpack-Paket (Binärframe), %n Bytes:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Binary #%1 (inline, %n byte(s))</source>
        <translation>
            <numerusform>Binärdaten #%1 (eingebettet, %n Byte)</numerusform>
            <numerusform>Binärdaten #%1 (eingebettet, %n Bytes)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Inspector::TrafficFilterBar</name>
    <message>
        <source>Control frames</source>
        <translation>Steuerpakete</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>Regex</translation>
    </message>
    <message>
        <source>All namespaces</source>
        <translation>Alle Namespaces</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <source>In and out</source>
        <translation>Ein und aus</translation>
    </message>
    <message>
        <source>In only</source>
        <translation>Nur ein</translation>
    </message>
    <message>
        <source>Out only</source>
        <translation>Nur aus</translation>
    </message>
    <message>
        <source>Direction, seen from the server</source>
        <translation>Richtung, vom Server aus gesehen</translation>
    </message>
    <message>
        <source>Show every socket again</source>
        <translation>Wieder alle Sockets zeigen</translation>
    </message>
    <message>
        <source>Show Engine.IO ping, pong and noop packets</source>
        <translation>Engine.IO-Pakete Ping, Pong und Noop zeigen</translation>
    </message>
    <message>
        <source>events: chat, user:*</source>
        <translation>Ereignisse: chat, user:*</translation>
    </message>
    <message>
        <source>Only these events (comma-separated, * and ? are wildcards)</source>
        <translation>Nur diese Ereignisse (durch Kommas getrennt, * und ? sind Platzhalter)</translation>
    </message>
    <message>
        <source>hide events</source>
        <translation>Ereignisse ausblenden</translation>
    </message>
    <message>
        <source>Hide these events (comma-separated, * and ? are wildcards)</source>
        <translation>Diese Ereignisse ausblenden (durch Kommas getrennt, * und ? sind Platzhalter)</translation>
    </message>
    <message>
        <source>search the payload</source>
        <translation>in den Nutzdaten suchen</translation>
    </message>
    <message>
        <source>Treat the search as a regular expression</source>
        <translation>Die Suche als regulären Ausdruck behandeln</translation>
    </message>
    <message>
        <source>Types</source>
        <translation>Typen</translation>
    </message>
    <message>
        <source>Binary attachments</source>
        <translation>Binäre Anhänge</translation>
    </message>
    <message>
        <source>Engine.IO open, close, upgrade</source>
        <translation>Engine.IO Open, Close, Upgrade</translation>
    </message>
    <message>
        <source>Engine.IO ping, pong, noop</source>
        <translation>Engine.IO Ping, Pong, Noop</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Clear every filter</source>
        <translation>Alle Filter löschen</translation>
    </message>
    <message>
        <source>Socket %1</source>
        <translation>Socket %1</translation>
    </message>
    <message>
        <source>Room %1 in %2</source>
        <translation>Raum %1 in %2</translation>
    </message>
    <message>
        <source>Client %1</source>
        <translation>Client %1</translation>
    </message>
    <message>
        <source>Source %1</source>
        <translation>Quelle %1</translation>
    </message>
    <message>
        <source>Source %1, %2</source>
        <translation>Quelle %1, %2</translation>
    </message>
</context>
<context>
    <name>Inspector::TrafficFilterProxy</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
</context>
<context>
    <name>Inspector::TrafficModel</name>
    <message>
        <source>out</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>in</source>
        <translation>ein</translation>
    </message>
    <message>
        <source>%1 (%2 ms)</source>
        <translation>%1 (%2 ms)</translation>
    </message>
    <message>
        <source>Socket: %1
Engine.IO session: %2</source>
        <translation>Socket: %1
Engine.IO-Sitzung: %2</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>Acknowledged after %1 ms</source>
        <translation>Nach %1 ms bestätigt</translation>
    </message>
    <message>
        <source>Waiting for the acknowledgement</source>
        <translation>Wartet auf die Bestätigung</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Delta</source>
        <translation>Delta</translation>
    </message>
    <message>
        <source>Dir</source>
        <translation>Richt.</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <source>Socket</source>
        <translation>Socket</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Ack</source>
        <translation>Ack</translation>
    </message>
    <message>
        <source>Args</source>
        <translation>Arg.</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>Transport</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumente</translation>
    </message>
    <message>
        <source>server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
</context>
<context>
    <name>Inspector::TrafficRow</name>
    <message>
        <source>attachment</source>
        <translation>Anhang</translation>
    </message>
    <message>
        <source>message</source>
        <translation>Nachricht</translation>
    </message>
    <message numerus="yes">
        <source>binary, %n byte(s)</source>
        <translation>
            <numerusform>binär, %n Byte</numerusform>
            <numerusform>binär, %n Bytes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>... %n more byte(s)</source>
        <translation>
            <numerusform>... %n weiteres Byte</numerusform>
            <numerusform>... %n weitere Bytes</numerusform>
        </translation>
    </message>
</context>
</TS>
