// A CommonJS module that loads pkjwt with a plain require() (Node >= 20.19 require(esm)).
'use strict';

module.exports = require('pkjwt');
