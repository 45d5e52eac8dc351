"""Parses a generated Python snippet the way Python would run it (inside an
`async def`) and prints its string arguments as JSON: proof that the
literals parse and carry exactly the intended values.

usage: python3 inspect_python.py < snippet
"""
import ast
import json
import sys
import textwrap

snippet = sys.stdin.read()
compile("async def main():\n" + textwrap.indent(snippet, "    "), "<snippet>", "exec")
values = {}
for node in ast.walk(ast.parse("async def main():\n" + textwrap.indent(snippet, "    "))):
    if isinstance(node, ast.keyword):
        values[node.arg] = ast.literal_eval(node.value)
print(json.dumps(values))
