#!/usr/bin/env bash
# api_docs: every public class, function, enum, signal and field of lib/include/SocketIo/*.h is
# documented. Runs doxygen with docs/api/Doxyfile (as scripts/docs does) plus
# WARN_IF_UNDOCUMENTED=YES, into a scratch directory, and fails listing every warning: undocumented
# names ("Member ... is not documented", "Compound ... is not documented", and enumerators,
# which doxygen does not warn about: read from its XML output, where an enumerator counts as
# documented by its own ///< comment or by a list item of its enum's comment that starts with its
# name) and broken doc comments (unknown commands, parameters that do not exist).
#   check-api-docs.sh SOURCE_DIR WORK_DIR
# Exits 77 (CTest's SKIP_RETURN_CODE) when doxygen is not installed (scripts/install-deps
# installs it).
set -euo pipefail

SOURCE_DIR="$1"
WORK_DIR="$2"

doxygen="$(command -v doxygen || true)"
if [[ -z "$doxygen" ]]; then
    echo "api_docs: doxygen not found (apt-get install doxygen, or scripts/install-deps): skipped"
    exit 77
fi

rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
log="$WORK_DIR/warnings.log"
# Only XML is generated (the quickest output that still reports undocumented members).
{
    cat "$SOURCE_DIR/docs/api/Doxyfile"
    echo "OUTPUT_DIRECTORY = $WORK_DIR"
    echo "GENERATE_HTML = NO"
    echo "GENERATE_XML = YES"
    echo "QUIET = YES"
    echo "WARNINGS = YES"
    echo "WARN_IF_UNDOCUMENTED = YES"
    echo "WARN_IF_DOC_ERROR = YES"
    echo "WARN_AS_ERROR = NO"
    echo "WARN_LOGFILE = $log"
} > "$WORK_DIR/Doxyfile"

cd "$SOURCE_DIR"
if ! "$doxygen" "$WORK_DIR/Doxyfile" > "$WORK_DIR/doxygen.out" 2>&1; then
    cat "$WORK_DIR/doxygen.out"
    echo "api_docs: doxygen failed"
    exit 1
fi

# Doxygen does not warn about enumerators without a comment: find them in the XML.
python3 - "$WORK_DIR/xml" "$SOURCE_DIR" >> "$log" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

xml_dir, source_dir = sys.argv[1], sys.argv[2]
def text(node):
    return "".join(node.itertext()).strip() if node is not None else ""
seen = set()
for path in sorted(glob.glob(os.path.join(xml_dir, "*.xml"))):
    if os.path.basename(path) == "index.xml":
        continue
    for enum in ET.parse(path).getroot().iter("memberdef"):
        if enum.get("kind") != "enum" or enum.get("id") in seen:
            continue
        seen.add(enum.get("id"))
        location = enum.find("location")
        file = location.get("file")
        if not os.path.isabs(file) and not os.path.exists(os.path.join(source_dir, file)):
            file = os.path.join("lib/include", file)  # STRIP_FROM_PATH
        where = "%s:%s" % (file, location.get("line"))
        qualified = text(enum.find("qualifiedname")) or text(enum.find("name"))
        # An enumerator is documented by its own comment (///<) or by an item of a list in its
        # enum's comment that starts with its name ("- `Polling`: HTTP long-polling"), for
        # enums declared on one line.
        listed = set()
        for description in (enum.find("briefdescription"), enum.find("detaileddescription")):
            for item in (description.iter("listitem") if description is not None else []):
                words = text(item).split()
                if words:
                    listed.add(words[0].rstrip(":,.").strip("`"))
        for value in enum.findall("enumvalue"):
            if text(value.find("name")) in listed:
                continue
            if not text(value.find("briefdescription")) and not text(value.find("detaileddescription")):
                print("%s: warning: Enumerator %s::%s is not documented." % (where, qualified, text(value.find("name"))))
PY

headers=$(ls lib/include/SocketIo/*.h | wc -l)
if [[ -s "$log" ]]; then
    count=$(grep -c . "$log" || true)
    echo "api_docs: $count doxygen warnings in the public headers (document them, see docs/api/Doxyfile):"
    sed "s|$SOURCE_DIR/||" "$log"
    exit 1
fi
echo "api_docs: every public name of the $headers headers in lib/include/SocketIo is documented ($("$doxygen" --version))"
