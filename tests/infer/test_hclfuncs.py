"""Tests for the static evaluation of Terraform's built-in functions.

The expected values of VALUE_CASES and ERROR_CASES were checked against `terraform console`
(Terraform 1.11); the tests themselves never run terraform.
"""

from __future__ import annotations

import contextlib
import itertools
from typing import Any

import pytest

from archinfer.infer.hclfuncs import FUNCTIONS, FunctionError, call_function
from archinfer.infer.values import ResourceRef, Unknown

UNSET = Unknown("var.unset", "no value given")
REF = ResourceRef("aws_vpc.main", "id")


def same(actual: Any, expected: Any) -> bool:
    """Equality that also tells int from float from bool (Python's == says True == 1 == 1.0)."""
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(same(actual[k], expected[k]) for k in expected)
    return bool(actual == expected)


VALUE_CASES: list[tuple[str, list[Any], Any]] = [
    ("format", ["%.1f", 0.05], "0.1"),
    ("format", ["%.1f", 0.15], "0.2"),
    ("format", ["%s-%03d", "a", 7], "a-007"),
    ("format", ["%.2f", 3.14159], "3.14"),
    ("format", ["%v", 1234567.5], "1.2345675e+06"),
    ("format", ["%v", [1, "a", None]], '[1,"a",null]'),
    ("format", ["%#v", {"b": 1, "a": "<x>"}], '{"a":"\\u003cx\\u003e","b":1}'),
    ("format", ["%q", 'a"b\n\x01<'], '"a\\"b\\n\\u0001\\u003c"'),
    ("format", ["%5s|%-5s|", "ab", "cd"], "   ab|cd   |"),
    ("format", ["%05s", "ab"], "000ab"),
    ("format", ["%x %X %o %b %#x", 255, 255, 8, 5, 255], "ff FF 10 101 0xff"),
    ("format", ["%e|%E|%g|%G", 123456.789, 1.5, 1000000.0, 1e-10], "1.234568e+05|1.500000E+00|1e+06|1E-10"),
    ("format", ["%+d % d %+.1e", 5, 5, 12345.678], "+5  5 +1.2e+04"),
    ("format", ["%[2]s %[1]s %s", "a", "b"], "b a b"),
    ("format", ["%d", "7"], "7"),
    ("format", ["%t", "true"], "true"),
    ("format", ["%%|%-8d|%3d|", 42, 12345], "%|42      |12345|"),
    ("format", ["%.3g|%g|%g", 3.14159, 100000, 1234567], "3.14|100000|1.234567e+06"),
    ("format", ["%.2s|%.2v", "abcdef", "abcdef"], "ab|abcdef"),
    ("format", ["%10.3f|%-10v|", 3.14159, True], "     3.142|true      |"),
    ("format", ["%s", 1e20], "100000000000000000000"),
    ("format", ["%v|%v|%v", 1e21, 1e-06, 12], "1e+21|1e-06|12"),
    ("format", ["%x", -255], "-ff"),
    ("format", ["%.1s", "éa"], "é"),
    ("format", ["%06.2f", 3.14159], "003.14"),
    ("format", ["%.0f|%.0f", 2.5, 3.5], "2|4"),
    ("format", ["%.3e", 0], "0.000e+00"),
    ("format", ["%g", 0], "0"),
    ("format", ["%v", -0.5], "-0.5"),
    ("format", ["%5q|", "a"], '  "a"|'),
    ("format", ["%.5d", 42], "00042"),
    ("formatlist", ["%s-%s", ["a", "b"], "x"], ["a-x", "b-x"]),
    ("formatlist", ["%s", "a"], ["a"]),
    ("formatlist", ["%s-%s", ["a", "b"], ["c", "d"]], ["a-c", "b-d"]),
    ("formatlist", ["%s", []], []),
    ("formatlist", ["%d:%s", [1, 2], ["x", "y"]], ["1:x", "2:y"]),
    ("join", [",", ["a", 1, True, 2.5]], "a,1,true,2.5"),
    ("join", [",", ["a"], ["b"]], "a,b"),
    ("join", ["-", []], ""),
    ("length", ["héllo"], 5),
    ("length", ["é"], 1),
    ("length", [{"a": 1}], 1),
    ("length", [[1, 2]], 2),
    ("tostring", [None], None),
    ("tostring", [1.5], "1.5"),
    ("tostring", [True], "true"),
    ("tostring", [1e-07], "0.0000001"),
    ("tonumber", ["+5"], 5),
    ("tonumber", ["1e3"], 1000),
    ("tonumber", [".5"], 0.5),
    ("tonumber", ["5."], 5),
    ("tonumber", [None], None),
    ("tonumber", ["-2.50"], -2.5),
    ("tobool", ["false"], False),
    ("tobool", [None], None),
    ("toset", [[True, False]], [False, True]),
    ("toset", [["b", 1, "a", 1]], ["1", "a", "b"]),
    ("toset", [[3, 1, 2, 10]], [1, 2, 3, 10]),
    ("toset", [["b", "a", "b"]], ["a", "b"]),
    ("tolist", [[1, "a", True]], ["1", "a", "true"]),
    ("tomap", [{"a": 1, "b": "x"}], {"a": "1", "b": "x"}),
    ("sort", [[10, 2, "b"]], ["10", "2", "b"]),
    ("sort", [["b", "a", "B", "é"]], ["B", "a", "b", "é"]),
    ("sort", [[]], []),
    ("sum", [["1", 2]], 3),
    ("sum", [[1.5, 2.5]], 4),
    ("sum", [[0.1, 0.2]], 0.3),
    ("max", [1, "5", 3], 5),
    ("min", [2.5, 1], 1),
    ("max", [-1.5], -1.5),
    ("element", [["a", "b", "c"], 4], "b"),
    ("index", [["a", "b"], "b"], 1),
    ("index", [[1, "1"], "1"], 1),
    ("contains", [["1"], 1], False),
    ("contains", [[1], "1"], False),
    ("contains", [["a", "b"], "b"], True),
    ("contains", [[[1]], [1]], True),
    ("distinct", [[1, "1", 2, 1]], ["1", "2"]),
    ("distinct", [["b", "a", "b"]], ["b", "a"]),
    ("distinct", [[]], []),
    ("chunklist", [[1, 2, 3], 0], [[1, 2, 3]]),
    ("chunklist", [[1, 2, 3], 2], [[1, 2], [3]]),
    ("chunklist", [[], 2], []),
    ("coalesce", ["", 1], "1"),
    ("coalesce", [1, 2], 1),
    ("coalesce", [[], ["a"]], []),
    ("coalesce", [None, "", "b"], "b"),
    ("coalesce", [None, 0], 0),
    ("coalescelist", [[], ["a"], ["b"]], ["a"]),
    ("compact", [[1, "", "a", None]], ["1", "a"]),
    ("compact", [[]], []),
    ("concat", [["a"], [1, ["b"]], []], ["a", 1, ["b"]]),
    ("flatten", [[[1, [2, 3]], 4, []]], [1, 2, 3, 4]),
    ("flatten", [[[], [[]]]], []),
    ("flatten", [[None, [None]]], [None, None]),
    ("flatten", [[{"a": [1]}]], [{"a": [1]}]),
    ("keys", [{"b": 1, "a": 2}], ["a", "b"]),
    ("keys", [{}], []),
    ("values", [{"b": 1, "a": 2}], [2, 1]),
    ("lookup", [{"a": 1}, "b", "d"], "d"),
    ("lookup", [{"a": 1}, "a", "d"], 1),
    ("lookup", [{"a": 1}, "b", None], None),
    ("merge", [{"a": 1}, None, {"a": 2, "b": 3}], {"a": 2, "b": 3}),
    ("merge", [], {}),
    ("merge", [{"a": {"x": 1}}, {"a": {"y": 2}}], {"a": {"y": 2}}),
    ("one", [[]], None),
    ("one", [[1]], 1),
    ("range", [-3], [0, -1, -2]),
    ("range", [3, 1], [3, 2]),
    ("range", [0, 1, 0.25], [0, 0.25, 0.5, 0.75]),
    ("range", [1, 1], []),
    ("range", [3], [0, 1, 2]),
    ("range", [10, 0, -3], [10, 7, 4, 1]),
    ("reverse", [[1, 2, 3]], [3, 2, 1]),
    ("slice", [[1, 2, 3], 1, 2], [2]),
    ("slice", [[1, 2, 3], 3, 3], []),
    ("regex", ["(a)?(b)", "b"], [None, "b"]),
    ("regex", ["(?P<x>a)(?P<y>b)?", "a"], {"x": "a", "y": None}),
    ("regex", ["a+", "caaat"], "aaa"),
    ("regex", ["(?<n>a)", "a"], {"n": "a"}),
    ("regex", ["\\pL+", "héllo1"], "héllo"),
    ("regex", ["[[:digit:]]+", "ab12"], "12"),
    ("regex", ["(?i)A", "a"], "a"),
    ("regex", ["(?m)a$", "a\nb"], "a"),
    ("regex", ["\\d+", "x\u0661\u06623"], "3"),  # RE2's \d is ASCII only
    ("regex", ["\\w+", "é_ab"], "_ab"),
    ("regex", ["\\bfoo\\b", "a foo b"], "foo"),
    ("regex", ["[^\\d\\s]+", "12 ab3"], "ab"),
    ("regex", ["a{2}", "aaa"], "aa"),
    ("regex", ["a{,2}", "a{,2}"], "a{,2}"),
    ("regex", ["\\x41\\x{42}", "AB"], "AB"),
    ("regex", ["\\Qa.b\\E+", "a.bb"], "a.bb"),
    ("regex", ["[\\]a-]+", "]-a"], "]-a"),
    ("regex", ["^(\\d+)\\.(\\d+)$", "10.25"], ["10", "25"]),
    ("regex", ["[[:^alpha:]]+", "ab12"], "12"),
    ("regex", ["(?s)a.b", "a\nb"], "a\nb"),
    ("regex", ["(?i:A)b", "ab"], "ab"),
    ("regex", ["\\012", "\n"], "\n"),
    ("regex", ["a}", "a}"], "a}"),
    ("regex", ["^[a-z0-9-]{3,63}$", "my-bucket"], "my-bucket"),
    ("regex", ["(?U)a+", "aaa"], "a"),
    ("regex", ["\\z", "ab"], ""),
    ("regexall", ["x*", "abxd"], ["", "", "x", ""]),
    ("regexall", ["(a)(b)", "abab"], [["a", "b"], ["a", "b"]]),
    ("regexall", ["z", "abc"], []),
    ("regexall", ["(?P<k>\\w+)=(?P<v>\\w+)", "a=1,b=2"], [{"k": "a", "v": "1"}, {"k": "b", "v": "2"}]),
    ("regexall", ["a|", "baaa"], ["", "a", "a", "a"]),
    ("regexall", ["", "ab"], ["", "", ""]),
    ("replace", ["abxd", "/x*/", "-"], "-a-b-d-"),
    ("replace", ["hello world", "/(\\w+) (\\w+)/", "$2 $1"], "world hello"),
    ("replace", ["hello", "/(?P<first>h)/", "$${first}x$1x${first}$"], "${first}xh$ello"),
    ("replace", ["abc", "", "-"], "-a-b-c-"),
    ("replace", ["a.b.c", ".", "-"], "a-b-c"),
    ("replace", ["a/b", "/", "x"], "axb"),
    ("replace", ["1-2", "/(\\d)/", "<$1>"], "<1>-<2>"),
    ("replace", ["aaa", "/a/", "$$"], "$$$"),
    ("replace", ["abc", "/(b)/", "${1}x$1x"], "abxc"),
    ("split", [",", ""], [""]),
    ("split", ["", "abc"], ["a", "b", "c"]),
    ("split", [",", "a,,b"], ["a", "", "b"]),
    ("split", [", ", "a, b"], ["a", "b"]),
    ("title", ["hello wORLD-foo_bar 1st o'neil"], "Hello WORLD-Foo_bar 1st O'Neil"),
    ("title", ["ǆa éb"], "ǅa Éb"),
    ("trimspace", ["  \t a b \n"], "a b"),
    ("trimspace", ["\x1ca\x1c"], "\x1ca\x1c"),
    ("trim", ["?!hello?!", "!?"], "hello"),
    ("trimprefix", ["helloworld", "hello"], "world"),
    ("trimsuffix", ["helloworld", "world"], "hello"),
    ("trimprefix", ["a", "b"], "a"),
    ("substr", ["hello", -3, 2], "ll"),
    ("substr", ["hello", 10, 2], ""),
    ("substr", ["hello", -10, 2], "he"),
    ("substr", ["hello", 1, -1], "ello"),
    ("substr", ["hello", 1, -5], "ello"),
    ("substr", ["hello", 1, 0], ""),
    ("substr", ["hello", 1, 100], "ello"),
    ("substr", ["héllo", 1, 2], "él"),
    ("substr", ["hello", 5, 1], ""),
    ("substr", ["hello", -5, 1], "h"),
    ("strrev", ["abc"], "cba"),
    ("indent", [2, "a\n\nb\n"], "a\n  \n  b\n  "),
    ("indent", [0, "a\nb"], "a\nb"),
    ("chomp", ["a\r\n\r\n"], "a"),
    ("chomp", ["a\n "], "a\n "),
    ("startswith", ["abc", ""], True),
    ("endswith", ["abc", "bc"], True),
    ("strcontains", ["abc", "b"], True),
    ("upper", ["ßabé"], "ßABÉ"),
    ("lower", ["ÀB"], "àb"),
    ("upper", [5], "5"),
    ("lower", [True], "true"),
    ("parseint", ["FF", 16], 255),
    ("parseint", ["-10", 2], -2),
    ("parseint", ["zZ", 62], 2231),
    ("parseint", ["+7", 10], 7),
    ("parseint", ["Zz", 36], 1295),
    ("pow", [2, 10], 1024),
    ("pow", [2, -1], 0.5),
    ("pow", [2, 0.5], 1.4142135623730951),
    ("pow", [0, 0], 1),
    ("signum", [-3], -1),
    ("signum", [0], 0),
    ("ceil", [1.2], 2),
    ("ceil", [-1.2], -1),
    ("floor", [-1.2], -2),
    ("floor", [3], 3),
    ("abs", [-2.5], 2.5),
    ("abs", [-3], 3),
    ("log", [8, 2], 3),
    ("log", [100, 10], 2),
    ("log", [2, 10], 0.30102999566398114),
    (
        "jsonencode",
        [{"b": [1, 2.5, True, None], "a": "<&>\u2028é\x08\x0c\x01\x7f", "c": 1e20, "d": 0.1}],
        '{"a":"\\u003c\\u0026\\u003e\\u2028é\\b\\f\\u0001\x7f","b":[1,2.5,true,null],"c":100000000000000000000,"d":0.1}',
    ),
    ("jsonencode", ["x"], '"x"'),
    ("jsonencode", [None], "null"),
    ("jsonencode", [[]], "[]"),
    ("jsonencode", [{}], "{}"),
    ("jsonencode", [-7], "-7"),
    (
        "jsondecode",
        ['{"a": [1, 2.5, true, null, 1e2, 1.0], "b": {"z": 1, "y": "\\u00e9"}}'],
        {"a": [1, 2.5, True, None, 100, 1], "b": {"y": "é", "z": 1}},
    ),
    ("jsondecode", ['"x"'], "x"),
    ("jsondecode", ["12345678901234567890123"], 12345678901234567890123),
    ("base64encode", ["héllo"], "aMOpbGxv"),
    ("base64decode", ["aMOpbGxv"], "héllo"),
    ("base64decode", ["aG\nk="], "hi"),
    ("urlencode", ["a b&c=d/é~_.-"], "a+b%26c%3Dd%2F%C3%A9~_.-"),
    ("md5", ["hello"], "5d41402abc4b2a76b9719d911017c592"),
    ("sha1", ["hello"], "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
    ("sha256", ["hello"], "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
    (
        "sha512",
        ["hello"],
        "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
    ),
    ("base64sha256", ["hello"], "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="),
    (
        "base64sha512",
        ["hello"],
        "m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw==",
    ),
    ("md5", [""], "d41d8cd98f00b204e9800998ecf8427e"),
    ("sha256", ["héllo"], "3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179"),
    ("uuidv5", ["dns", "example.com"], "cfbff0d1-9375-5685-968c-48ce8b15ae17"),
    ("uuidv5", ["6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x"], "05b16a01-46c6-56dd-bd6e-c6dfb4a1427a"),
    ("uuidv5", ["url", "https://x"], "48d34be5-10a3-5c30-96ef-9cf9a60110f2"),
    ("csvdecode", ["a,b\n1,2\n3,4\n"], [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]),
    ("csvdecode", ["a,b\n\n1,2\n"], [{"a": "1", "b": "2"}]),
    ("csvdecode", ["a\n"], []),
    ("csvdecode", ['a,b\n"x,\ny",2\n'], [{"a": "x,\ny", "b": "2"}]),
    ("textencodebase64", ["hi", "UTF-16LE"], "aABpAA=="),
    ("textdecodebase64", ["aABpAA==", "UTF-16LE"], "hi"),
    ("textencodebase64", ["hé", "ISO-8859-1"], "aOk="),
    ("textencodebase64", ["€", "windows-1252"], "gA=="),
    ("cidrsubnet", ["10.1.2.0/24", 4, 15], "10.1.2.240/28"),
    ("cidrsubnet", ["10.1.2.0/24", 0, 0], "10.1.2.0/24"),
    ("cidrsubnet", ["10.1.2.5/24", 4, 1], "10.1.2.16/28"),
    ("cidrsubnet", ["fd00:fd12:3456:7890::/56", 16, 162], "fd00:fd12:3456:7800:a200::/72"),
    ("cidrsubnet", ["2001:db8::/32", 8, 255], "2001:db8:ff00::/40"),
    ("cidrsubnet", ["010.1.2.0/24", 4, 1], "10.1.2.16/28"),
    ("cidrsubnet", ["172.16.0.0/12", 4, 2], "172.18.0.0/16"),
    ("cidrsubnet", ["10.10.0.0/16", 8, 1], "10.10.1.0/24"),
    ("cidrsubnet", ["::/0", 1, 1], "8000::/1"),
    ("cidrsubnet", ["10.0.0.0/8", 24, 5], "10.0.0.5/32"),
    ("cidrhost", ["10.12.112.0/20", 16], "10.12.112.16"),
    ("cidrhost", ["10.12.112.0/20", 268], "10.12.113.12"),
    ("cidrhost", ["10.0.0.0/8", -1], "10.255.255.255"),
    ("cidrhost", ["10.0.0.0/30", -4], "10.0.0.0"),
    ("cidrhost", ["fd00:fd12:3456:7890:00a2::/72", 34], "fd00:fd12:3456:7890::22"),
    ("cidrhost", ["10.0.0.0/32", 0], "10.0.0.0"),
    ("cidrhost", ["2001:db8::/64", -1], "2001:db8::ffff:ffff:ffff:ffff"),
    ("cidrnetmask", ["172.16.0.0/12"], "255.240.0.0"),
    ("cidrnetmask", ["10.0.0.0/0"], "0.0.0.0"),
    ("cidrnetmask", ["10.0.0.0/32"], "255.255.255.255"),
    ("cidrsubnets", ["10.1.0.0/16", 4, 4, 8, 4], ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]),
    ("cidrsubnets", ["10.1.0.0/16"], []),
    (
        "cidrsubnets",
        ["fd00:fd12:3456:7890::/56", 16, 16, 16, 32],
        [
            "fd00:fd12:3456:7800::/72",
            "fd00:fd12:3456:7800:100::/72",
            "fd00:fd12:3456:7800:200::/72",
            "fd00:fd12:3456:7800:300::/88",
        ],
    ),
    ("cidrsubnets", ["10.0.0.0/8", 8, 4], ["10.0.0.0/16", "10.16.0.0/12"]),
    ("cidrsubnets", ["255.255.255.0/24", 1, 1], ["255.255.255.0/25", "255.255.255.128/25"]),
    ("cidrsubnets", ["10.0.0.0/16", 8, 2, 8], ["10.0.0.0/24", "10.0.64.0/18", "10.0.128.0/24"]),
    ("cidrsubnets", ["10.0.0.0/24", 2, 2, 2, 2], ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/26"]),
    ("cidrsubnets", ["10.0.0.0/8", 4, 8, 4], ["10.0.0.0/12", "10.16.0.0/16", "10.32.0.0/12"]),
    ("setunion", [["b", "a"], ["c", "a"]], ["a", "b", "c"]),
    ("setunion", [[1], ["a"]], ["1", "a"]),
    ("setunion", [[3, 1], [2, 10]], [1, 2, 3, 10]),
    ("setintersection", [["a", "b", "c"], ["b", "c", "d"], ["c"]], ["c"]),
    ("setintersection", [["a"]], ["a"]),
    ("setintersection", [[1, 2], ["2"]], ["2"]),
    ("setsubtract", [["a", "b", "c"], ["a", "c"]], ["b"]),
    ("setsubtract", [[3, 2, 1], [2]], [1, 3]),
    ("setproduct", [["a", "b"], [1, 2]], [["a", 1], ["a", 2], ["b", 1], ["b", 2]]),
    ("setproduct", [["a"], []], []),
    (
        "setproduct",
        [["a", "b"], ["c"], ["d", "e"]],
        [["a", "c", "d"], ["a", "c", "e"], ["b", "c", "d"], ["b", "c", "e"]],
    ),
    ("alltrue", [[True, "true"]], True),
    ("alltrue", [[True, None]], False),
    ("alltrue", [[]], True),
    ("alltrue", [[True, False]], False),
    ("anytrue", [[None, "true"]], True),
    ("anytrue", [[]], False),
    ("anytrue", [[False, "false"]], False),
    ("transpose", [{"a": ["1", "2"], "b": ["2", "3"]}], {"1": ["a"], "2": ["a", "b"], "3": ["b"]}),
    ("transpose", [{"b": ["x"], "a": ["x"]}], {"x": ["a", "b"]}),
    ("transpose", [{"a": [1]}], {"1": ["a"]}),
    ("transpose", [{}], {}),
    ("matchkeys", [["i-1", "i-2", "i-3"], ["us-a", "us-b", "us-c"], ["us-c", "us-a"]], ["i-1", "i-3"]),
    ("matchkeys", [[1, 2], ["x", "y"], []], []),
    ("zipmap", [["a", "b", "a"], [1, 2, 3]], {"a": 3, "b": 2}),
    ("zipmap", [[1], ["x"]], {"1": "x"}),
    ("zipmap", [[], []], {}),
    ("abspath", ["/a/b/../c/"], "/a/c"),
    ("dirname", ["foo/bar/baz.txt"], "foo/bar"),
    ("dirname", ["foo"], "."),
    ("dirname", ["/"], "/"),
    ("dirname", [""], "."),
    ("dirname", ["foo/bar/"], "foo/bar"),
    ("dirname", ["//a"], "/"),
    ("dirname", ["../x/./y"], "../x"),
    ("basename", ["foo/bar/baz.txt"], "baz.txt"),
    ("basename", ["foo/bar/"], "bar"),
    ("basename", ["/"], "/"),
    ("basename", [""], "."),
    ("basename", ["//"], "/"),
    ("pathexpand", ["foo/bar"], "foo/bar"),
    ("tolist", [None], None),
    ("toset", [[]], []),
    ("tomap", [{}], {}),
    ("sensitive", ["a"], "a"),
    ("nonsensitive", ["a"], "a"),
    (
        "yamldecode",
        [
            # Terraform's YAML 1.1-like scalars: y/n/yes/on are bools (key "n" becomes "false"),
            # 0777 is decimal, 1_000 and 1:20 stay strings, dates become RFC 3339 strings.
            "a: yes\nb: on\nc: 0777\nd: 0o17\ne: 0x1F\nf: 1_000\ng: 1:20\n"
            "h: 2001-12-14\ni: ~\nk: True\nl: 1.0\nm: 1e3\nn: 010"
        ],
        {
            "a": True,
            "b": True,
            "c": 777,
            "d": 15,
            "e": 31,
            "f": "1_000",
            "false": 10,
            "g": "1:20",
            "h": "2001-12-14T00:00:00Z",
            "i": None,
            "k": True,
            "l": 1,
            "m": 1000,
        },
    ),
    ("yamldecode", ["1: a\ntrue: b"], {"1": "a", "true": "b"}),
    ("yamldecode", ["a: !!binary aGk="], {"a": "aGk="}),
    ("yamldecode", ["a: &x 1\nb: *x"], {"a": 1, "b": 1}),
    ("yamldecode", ["? a"], {"a": None}),
    ("yamldecode", ["12345678901234567890123"], 12345678901234567890123),
    ("yamldecode", ["1.5e+3"], 1500),
    ("yamldecode", ["+1"], 1),
    ("yamldecode", ["a: &x {b: 1}\nc:\n  <<: *x\n  d: 2"], {"a": {"b": 1}, "c": {"b": 1, "d": 2}}),
    ("yamldecode", ["a: |\n  line1\n  line2\nb: >\n  folded\n  text\n"], {"a": "line1\nline2\n", "b": "folded text\n"}),
    ("yamldecode", ["[1, two, {three: 3}]"], [1, "two", {"three": 3}]),
    ("yamldecode", ["~"], None),
    ("yamldecode", ["a: -0b101\nb: 0b101\nc: +0x10"], {"a": "-0b101", "b": "0b101", "c": "+0x10"}),
    ("yamldecode", ["a:\n  - b: 1\n    c: [x, y]\n"], {"a": [{"b": 1, "c": ["x", True]}]}),
]

ERROR_CASES: list[tuple[str, list[Any], str]] = [
    ("format", ["%d", 3.5], "unsupported value for '%d' at 0: an integer is r"),
    ("format", ["%t", 1], "unsupported value for '%t' at 0: argument: bool "),
    ("format", ["%s"], "not enough arguments for '%s' at 0: need index 1"),
    ("format", ["%s", "a", "b"], "too many arguments; only 1 used by format string"),
    ("format", ["%z", 1], "unsupported format verb 'z' in '%z'"),
    ("format", ["abc%"], "invalid format string starting at offset 4"),
    ("format", ["%b", 1.5], "unsupported value for '%b' at 0: an integer is r"),
    ("format", ["%s", [1]], "unsupported value for '%s' at 0: argument: strin"),
    ("format", ["%d", True], "unsupported value for '%d' at 0: number required"),
    ("formatlist", ["%s-%s", ["a", "b"], ["c"]], "argument 2 has length 1, which is inconsistent w"),
    ("join", [",", ["a", None]], "element 1 is null; cannot concatenate null value"),
    ("join", [","], "at least one list is required"),
    ("length", [5], "argument must be a string, a collection type, or"),
    ("tostring", [[1]], "cannot convert tuple to string"),
    ("tonumber", [" 5"], 'cannot convert " 5" to number; given string must'),
    ("tonumber", ["0x10"], 'cannot convert "0x10" to number; given string mu'),
    ("tonumber", ["abc"], 'cannot convert "abc" to number; given string mus'),
    ("tonumber", [True], "cannot convert bool to number"),
    ("tobool", ["True"], 'cannot convert "True" to bool; only the strings '),
    ("tobool", [1], "cannot convert number to bool"),
    ("toset", [[1, True]], "cannot convert tuple to a collection of any sing"),
    ("tolist", [[1, True]], "cannot convert tuple to a collection of any sing"),
    ("tolist", [{"a": 1}], "cannot convert object to list"),
    ("tomap", [{"a": 1, "b": True}], "cannot convert object to a collection of any sin"),
    ("tomap", [{"a": [1], "b": "x"}], "cannot convert object to a collection of any sin"),
    ("tomap", [["a"]], "cannot convert tuple to map"),
    ("sort", [["a", None]], "given list element 1 is null; a null string cann"),
    ("sum", [[]], "cannot sum an empty list"),
    ("sum", [[1, None]], "argument must be list, set, or tuple of number v"),
    ("sum", [[True]], "argument must be list, set, or tuple of number v"),
    ("max", [], "must pass at least one number"),
    ("max", ["a"], "max argument: cannot convert 'a' to number"),
    ("element", [["a", "b", "c"], -1], "cannot use element function with a negative inde"),
    ("element", [[], 0], "cannot use element function with an empty list"),
    ("element", [["a", "b"], 1.5], "index: value must be a whole number, got 1.5"),
    ("index", [["a", "b"], "c"], "item not found"),
    ("chunklist", [[1], -1], "the size argument must be positive"),
    ("coalesce", [None, ""], "no non-null, non-empty-string arguments"),
    ("coalesce", [1, True], "all arguments must have the same type"),
    ("coalesce", [], "all arguments must have the same type"),
    ("coalescelist", [[], []], "no non-null arguments"),
    ("coalescelist", ["a"], "coalescelist arguments must be lists or tuples"),
    ("coalescelist", [None, ["x"]], "coalescelist arguments must be lists or tuples"),
    ("concat", [], "at least one argument is required"),
    ("concat", [["a"], "b"], "all arguments must be lists or tuples; got strin"),
    ("keys", [[1]], "inputMap: map or object required, got tuple"),
    ("lookup", [{"a": 1}, "b"], 'the given object has no attribute "b"'),
    ("merge", [{"a": 1}, ["x"]], 'arguments must be maps or objects, got "tuple"'),
    ("one", [[1, 2]], "must be a list, set, or tuple value with either "),
    ("one", [None], "list must not be null"),
    ("range", [1, 4, -1], "end must be less than start when step is negativ"),
    ("range", [0, 3, 0], "more than 1024 values were generated; either dec"),
    ("range", [5000], "more than 1024 values were generated; either dec"),
    ("range", [1, 2, 3, 4], "must have one, two, or three arguments"),
    ("reverse", ["abc"], "can only reverse list or tuple values"),
    ("slice", [[1, 2, 3], 2, 1], "start index must not be greater than end index"),
    ("slice", [[1, 2, 3], 1, 4], "end index must not be greater than the length of"),
    ("slice", [[1, 2, 3], -1, 2], "start index must not be less than zero"),
    ("regex", ["(?P<x>a)(b)", "ab"], "invalid regexp pattern: cannot mix both named an"),
    ("regex", ["x", "abc"], "pattern did not match any part of the given stri"),
    ("regex", ["a(?=b)", "ab"], "invalid regexp pattern: invalid or unsupported P"),
    ("regex", ["\\Z", "ab"], "invalid regexp pattern: invalid escape sequence:"),
    ("regex", ["a$", "a\n"], "pattern did not match any part of the given stri"),
    ("regex", ["a*+", "aaa"], "invalid regexp pattern: invalid nested repetitio"),
    ("regex", ["(a)\\1", "aa"], "invalid regexp pattern: invalid escape sequence:"),
    ("regex", ["a.b", "a\nb"], "pattern did not match any part of the given stri"),
    ("regex", ["[", "a"], "invalid regexp pattern: missing closing ]"),
    ("upper", [None], "argument must not be null"),
    ("parseint", ["12", 1], "base must be a whole number between 2 and 62 inc"),
    ("parseint", ["12", 63], "base must be a whole number between 2 and 62 inc"),
    ("parseint", ["1a", 10], 'cannot parse "1a" as a base 10 integer'),
    ("parseint", ["0x10", 16], 'cannot parse "0x10" as a base 16 integer'),
    ("parseint", ["", 10], 'cannot parse "" as a base 10 integer'),
    ("parseint", [10, 10], "first argument must be a string, not number"),
    ("signum", [0.5], "argument: value must be a whole number, got 0.5"),
    ("jsondecode", ["NaN"], "invalid character 'N' looking for beginning of v"),
    ("jsondecode", ["1 2"], "Extra data: line 1 column 3 (char 2)"),
    ("jsondecode", [""], "Expecting value: line 1 column 1 (char 0)"),
    ("base64decode", ["/w=="], "the result of decoding the provided string is no"),
    ("base64decode", ["abc"], 'failed to decode base64 data "abc"'),
    ("base64decode", ["aGk"], 'failed to decode base64 data "aGk"'),
    ("uuidv5", ["bogus", "x"], "uuidv5() doesn't support namespace bogus"),
    ("csvdecode", ["a,b\n1\n"], "CSV parse error on line 2: wrong number of field"),
    ("csvdecode", [""], "missing header line"),
    ("textencodebase64", ["hi", "nope"], '"nope" is not a supported IANA encoding name or '),
    ("cidrsubnet", ["10.1.2.0/24", 4, 16], "prefix extension of 4 does not accommodate a sub"),
    ("cidrsubnet", ["10.1.2.0/24", 9, 0], "insufficient address space to extend prefix of 2"),
    ("cidrsubnet", ["10.0.0.0", 8, 1], "invalid CIDR expression: invalid CIDR address: 1"),
    ("cidrsubnet", ["10.0.0.0/33", 1, 1], "invalid CIDR expression: invalid CIDR address: 1"),
    ("cidrsubnet", ["banana", 1, 1], "invalid CIDR expression: invalid CIDR address: b"),
    ("cidrhost", ["10.0.0.0/30", 4], "prefix of 30 does not accommodate a host numbere"),
    ("cidrhost", ["10.0.0.0/30", -5], "prefix of 30 does not accommodate a host numbere"),
    ("cidrnetmask", ["fd00::/8"], "IPv6 addresses cannot have a netmask: fd00::/8"),
    ("cidrsubnets", ["10.1.0.0/16", 1, 1, 1], "not enough remaining address space for a subnet "),
    ("cidrsubnets", ["10.1.0.0/16", 0], "must extend prefix by at least one bit"),
    ("cidrsubnets", ["10.1.0.0/16", 17], "would extend prefix to 33 bits, which is too lon"),
    ("cidrsubnets", ["0.0.0.0/0", 1, 1], "not enough remaining address space for a subnet "),
    ("cidrsubnets", ["10.0.0.0/24", 2, 2, 2, 2, 2], "not enough remaining address space for a subnet "),
    ("cidrsubnets", ["fd00::/8", 120, 1], "may not extend prefix by more than 32 bits"),
    ("setunion", [], "setunion requires at least one argument"),
    ("setproduct", [["a"]], "at least two arguments are required"),
    ("alltrue", [[1]], "element 0: bool required, got number"),
    ("anytrue", [[1]], "element 0: bool required, got number"),
    ("matchkeys", [["a"], ["b", "c"], ["b"]], "length of keys and values should be equal"),
    ("zipmap", [["a"], [1, 2]], "number of keys (1) does not match number of valu"),
    ("yamldecode", [""], "on line 1, column 1: missing start of document"),
    ("yamldecode", ["- a\n- 1\n---\n- b"], 'expected a single document in the stream in "<un'),
    ("yamldecode", [".nan"], "floating point NaN is not supported"),
    ("yamldecode", ["a: 0xFFFFFFFFFFFFFFFFF"], 'cannot parse "0xFFFFFFFFFFFFFFFFF" as tag:yaml.o'),
    ("yamldecode", ["a: !foo 1"], "could not determine a constructor for the tag '!"),
    ("yamldecode", ["# just a comment\n"], "on line 1, column 1: missing start of document"),
    ("yamldecode", ["a: [1, 2"], 'while parsing a flow sequence in "<unicode strin'),
]


@pytest.mark.parametrize(
    ("name", "args", "expected"), VALUE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(VALUE_CASES)]
)
def test_value(name: str, args: list[Any], expected: Any) -> None:
    assert same(call_function(name, args), expected)


@pytest.mark.parametrize(
    ("name", "args", "fragment"), ERROR_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(ERROR_CASES)]
)
def test_error(name: str, args: list[Any], fragment: str) -> None:
    with pytest.raises(FunctionError) as raised:
        call_function(name, args)
    assert fragment in str(raised.value)
    assert str(raised.value).startswith(f"{name}(")  # the message says which function


NOT_STATIC_CASES: list[tuple[str, list[Any]]] = [
    ("file", ["${path.module}/x.txt"]),
    ("filebase64", ["x.bin"]),
    ("filebase64sha256", ["x"]),
    ("filebase64sha512", ["x"]),
    ("fileexists", ["x"]),
    ("filemd5", ["x"]),
    ("fileset", [".", "*.tf"]),
    ("filesha1", ["x"]),
    ("filesha256", ["x"]),
    ("filesha512", ["x"]),
    ("templatefile", ["t.tpl", {"a": 1}]),
    ("templatestring", ["x", {}]),
    ("timestamp", []),
    ("plantimestamp", []),
    ("timeadd", ["2017-11-22T00:00:00Z", "10m"]),
    ("timecmp", ["2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z"]),
    ("formatdate", ["YYYY", "2017-11-22T00:00:00Z"]),
    ("uuid", []),
    ("bcrypt", ["secret"]),
    ("bcrypt", ["secret", 12]),
    ("rsadecrypt", ["x", "key"]),
    ("base64gzip", ["hi"]),
]


@pytest.mark.parametrize(("name", "args"), NOT_STATIC_CASES)
def test_not_evaluated_statically(name: str, args: list[Any]) -> None:
    assert call_function(name, args) == Unknown("", f"{name}() is not evaluated statically")


@pytest.mark.parametrize(
    ("name", "args"), [("file", []), ("timestamp", [1]), ("bcrypt", ["a", 1, 2]), ("templatefile", ["a"])]
)
def test_not_evaluated_statically_still_checks_argument_count(name: str, args: list[Any]) -> None:
    with pytest.raises(FunctionError, match="expects"):
        call_function(name, args)


# Arguments holding unresolved values: (name, args, expected), where `None` as expected means
# "an Unknown with empty text" (the result depends on the unresolved part).
UNKNOWN_CASES: list[tuple[str, list[Any], Any]] = [
    ("join", [",", ["a", UNSET]], None),
    ("length", [["a", UNSET]], 2),
    ("length", [{"a": REF, "b": 1}], 2),
    ("merge", [{"a": UNSET}, {"b": 1}], {"a": UNSET, "b": 1}),
    ("merge", [{"a": UNSET}, {"a": 1}], {"a": 1}),
    ("lookup", [{"k": UNSET}, "k", "d"], UNSET),
    ("lookup", [{"k": UNSET}, "k"], UNSET),
    ("lookup", [{"k": 1}, "z", UNSET], UNSET),
    ("lookup", [{"k": 1}, "k", UNSET], 1),
    ("lookup", [{"k": 1}, UNSET], None),
    ("coalesce", [None, UNSET, "a"], None),
    ("coalesce", ["", REF, "x"], None),
    ("coalesce", ["a", UNSET], "a"),
    ("coalesce", [None, "", "b", UNSET], "b"),
    ("coalesce", [[UNSET], ["a"]], [UNSET]),
    ("coalescelist", [[], [UNSET]], [UNSET]),
    ("coalescelist", [UNSET, ["a"]], None),
    ("coalescelist", [["a"], UNSET], ["a"]),
    ("concat", [["a"], [UNSET]], ["a", UNSET]),
    ("contains", [["a", UNSET], "a"], True),
    ("contains", [[UNSET, "a"], "b"], None),
    ("contains", [["a"], ["b", UNSET]], None),
    ("index", [["a", UNSET], "a"], 0),
    ("index", [[UNSET, "a"], "a"], None),
    ("element", [["a", UNSET], 1], UNSET),
    ("element", [["a", UNSET], 2], "a"),
    ("flatten", [[["a"], UNSET]], None),
    ("flatten", [[["a"], [REF]]], ["a", REF]),
    ("keys", [{"b": UNSET, "a": REF}], ["a", "b"]),
    ("values", [{"b": UNSET, "a": REF}], [REF, UNSET]),
    ("alltrue", [[UNSET, False]], False),
    ("alltrue", [[UNSET, True]], None),
    ("anytrue", [[UNSET, True]], True),
    ("anytrue", [[UNSET, False]], None),
    ("one", [[UNSET]], UNSET),
    ("reverse", [[UNSET, 1]], [1, UNSET]),
    ("slice", [[UNSET, 1, 2], 1, 3], [1, 2]),
    ("chunklist", [[UNSET, 1, 2], 2], [[UNSET, 1], [2]]),
    ("tolist", [["a", 1, REF]], ["a", "1", REF]),
    ("tomap", [{"a": 1, "b": "x", "c": REF}], {"a": "1", "b": "x", "c": REF}),
    ("toset", [["a", REF]], None),
    ("zipmap", [["a", "b"], [REF, 2]], {"a": REF, "b": 2}),
    ("zipmap", [["a", REF], [1, 2]], None),
    ("matchkeys", [[REF, "v"], ["a", "b"], ["a"]], [REF]),
    ("matchkeys", [["v"], [UNSET], ["a"]], None),
    ("sensitive", [UNSET], UNSET),
    ("nonsensitive", [{"a": REF}], {"a": REF}),
    ("distinct", [["a", UNSET]], None),
    ("compact", [["a", UNSET]], None),
    ("sort", [["b", REF]], None),
    ("jsonencode", [{"a": REF}], None),
    ("format", ["%s-%s", "a", UNSET], None),
    ("formatlist", ["%s", ["a", REF]], None),
    ("sum", [[1, UNSET]], None),
    ("setunion", [["a"], [UNSET]], None),
    ("upper", [UNSET], None),
    ("length", [REF], None),
    ("cidrsubnet", [REF, 8, 1], None),
]


@pytest.mark.parametrize(
    ("name", "args", "expected"), UNKNOWN_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(UNKNOWN_CASES)]
)
def test_unresolved_arguments(name: str, args: list[Any], expected: Any) -> None:
    result = call_function(name, args)
    if expected is None:
        assert isinstance(result, Unknown)
        assert result.text == ""
        assert name in result.reason
    else:
        assert same(result, expected)


def test_format_with_a_null_argument_is_unresolved() -> None:
    # Terraform answers "(known after apply)" for format("%s", null) rather than failing.
    assert isinstance(call_function("format", ["%v", None]), Unknown)


def test_range_steps_are_decimal_exact() -> None:
    # Terraform prints 0.7000...0006 here (binary rounding of 0.1 at 512 bits); decimal steps
    # give the values a reader expects.
    assert same(call_function("range", [0, 1, 0.1]), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])


def test_strrev_keeps_combining_marks_with_their_letter() -> None:
    assert call_function("strrev", ["ae\u0301"]) == "e\u0301a"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["b", "a", "c", "a"], ["a", "b", "c"]),
        ([10, 2, 1, 2], [1, 2, 10]),
        ([True, False, True], [False, True]),
        (["b", 1, "a", 10, 2], ["1", "10", "2", "a", "b"]),
        ([{"a": 1}, {"a": 1}, {"a": 0}], [{"a": 1}, {"a": 0}]),  # collections keep first-seen order
        ([], []),
    ],
)
def test_toset_orders_and_deduplicates(items: list[Any], expected: list[Any]) -> None:
    assert same(call_function("toset", [items]), expected)


def test_provider_functions_are_not_evaluated() -> None:
    with pytest.raises(FunctionError, match="provider function not evaluated"):
        call_function("provider::aws::arn_parse", ["arn:aws:iam::123456789012:user/x"])


def test_core_prefix_names_a_builtin() -> None:
    assert call_function("core::length", [[1, 2]]) == 2


@pytest.mark.parametrize("name", ["try", "can"])
def test_special_forms_are_the_callers_job(name: str) -> None:
    assert name not in FUNCTIONS
    with pytest.raises(FunctionError, match="special form"):
        call_function(name, [1])


@pytest.mark.parametrize(
    ("name", "args", "fragment"),
    [
        ("nosuch", [], "no function named"),
        ("list", ["a"], "no function named"),
        ("length", [], "expects 1 argument, got 0"),
        ("length", [[1], [2]], "expects 1 argument, got 2"),
        ("lookup", [{}, "a", 1, 2], "expects 2 to 3 arguments, got 4"),
        ("cidrsubnet", ["10.0.0.0/8", 4], "expects 3 arguments, got 2"),
        ("concat", [], "at least one argument is required"),
        ("setintersection", [], "expects at least 1 argument, got 0"),
    ],
)
def test_unknown_names_and_argument_counts(name: str, args: list[Any], fragment: str) -> None:
    with pytest.raises(FunctionError) as raised:
        call_function(name, args)
    assert fragment in str(raised.value)


def test_every_function_has_a_case() -> None:
    tables: list[list[Any]] = [VALUE_CASES, ERROR_CASES, NOT_STATIC_CASES, UNKNOWN_CASES]
    covered = {case[0] for table in tables for case in table}
    assert set(FUNCTIONS) - covered == set()


ODD_VALUES: list[Any] = [None, "", "x", "10.0.0.0/8", 0, -1, 2.5, True, [], ["a", 1], {}, {"a": [1]}, [[None]], 10**30]


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_only_function_errors_escape(name: str) -> None:
    """Whatever the arguments, a function returns a value or raises FunctionError, nothing else."""
    for count in range(4):
        combinations = list(itertools.product(ODD_VALUES, repeat=count))
        for args in combinations[:: max(1, len(combinations) // 400)]:  # an even spread, bounded
            with contextlib.suppress(FunctionError):
                call_function(name, list(args))
