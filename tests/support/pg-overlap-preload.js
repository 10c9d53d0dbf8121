/** `node -r tests/support/pg-overlap-preload.js <script>`: the watch of ./pg-overlap.js in a script. */
'use strict';
if (process.env.PG_OVERLAP_REPORT) require('./pg-overlap').install(process.env.PG_OVERLAP_REPORT);
