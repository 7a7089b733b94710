import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors, toErrorBody } from '../../service/errors.js';

test('service errors keep their status and stable code', () => {
  assert.deepEqual(toErrorBody(errors.notConversationOwner()), {
    statusCode: 409, code: 'not_conversation_owner', error: 'Conflict', message: 'Only the owner of the conversation can call the client',
  });
  assert.equal(toErrorBody(errors.callEnded(410)).statusCode, 410);
});

test('unexpected errors become a 500 that leaks nothing', () => {
  const body = toErrorBody(new Error('connection to 10.0.0.5:5432 refused, password=hunter2'));
  assert.deepEqual(body, { statusCode: 500, code: 'internal_error', error: 'Internal Server Error', message: 'Something went wrong on our side' });
});

test('validation errors become one readable 400 invalid_request message', () => {
  const body = toErrorBody({
    message: 'x', validationContext: 'body',
    validation: [
      { keyword: 'required', instancePath: '', message: "must have required property 'secret'" },
      { keyword: 'const', instancePath: '/media', params: { allowedValue: 'audio' } },
      { keyword: 'const', instancePath: '/media', params: { allowedValue: 'video' } },
      { keyword: 'anyOf', instancePath: '/media', message: 'must match a schema in anyOf' },
    ],
  });
  assert.equal(body.statusCode, 400);
  assert.equal(body.code, 'invalid_request');
  assert.equal(body.message, `body must have required property 'secret'; body/media must be one of "audio", "video"`);
});
