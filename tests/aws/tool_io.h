/* tests/aws/tool_io.h: the frame the aws_sign_tool and aws_xml_tool
 * programs share: a JSON array of cases on stdin, one answer per case on
 * stdout, so a Python test can compare a whole batch with botocore. */
#ifndef XD_TOOL_IO_H
#define XD_TOOL_IO_H

#include <cjson/cJSON.h>

/* Read the cases from stdin, answer each with one(case) (a new item) and
 * print the answers as one JSON array on a line. The exit status for
 * main: 0, or 2 (with a message naming tool) when stdin is not JSON. */
int tool_map_stdin(const char *tool, cJSON *(*one)(const cJSON *c));

#endif
