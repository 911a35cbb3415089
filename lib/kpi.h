/*
 * kpi.h - the library behind the kpi-* filters: the commands' umbrella.
 *
 * The data's way through the rooms of lib/, one folder and one header each;
 * each room uses only the rooms above it in this list (tests/layout checks):
 *
 *   base/       errors, the program's name, memory, buffers, UTF-8
 *   record/     sources, text, CSV, JSON, the record codec and writer
 *   value/      numbers, money, times, zones, calendar periods
 *   normalize/  mapping specs, presets, raw rows -> typed rows
 *   aggregate/  catalogue, formulas, reducers, entities -> points
 *   goal/       goals, their lint, verdicts: points -> evaluations
 *   face/       what the commands share: diagnostics, options, stdout
 *
 * Nothing in lib prints or exits, except face/ and kpi_xmalloc, which stops
 * the program when memory runs out, as git's xmalloc does: no caller could
 * do anything better.  Lib rooms include the headers they use, never this
 * one.
 */
#ifndef KPI_H
#define KPI_H

#include "base/base.h"
#include "record/record.h"
#include "value/value.h"
#include "normalize/normalize.h"
#include "aggregate/aggregate.h"
#include "goal/goal.h"
#include "face/face.h"

#endif /* KPI_H */
