// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignedInUser } from '../../../electron/shared/api-protocol.js';
import type { AuthClient } from '../../../renderer/src/api/team-session.js';
import { LoginPage } from '../../../renderer/src/pages/login-page.js';

afterEach(cleanup);

const user: SignedInUser = { username: 'ann', role: 'curator', csrf: 'token', expires_at: '2030-01-01T00:00:00.000Z' };

function recordingAuth(fail: string | null = null): { auth: AuthClient; calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    auth: {
      signIn: (...args: unknown[]) => { calls.push(args); return fail ? Promise.reject(new Error(fail)) : Promise.resolve(user); },
      signOut: () => Promise.resolve(),
    } as AuthClient,
  };
}

describe('sign-in page', () => {
  it('after File › Open Remote Catalog… it asks for the server address (offering the last one) and signs in there', async () => {
    const keyboard = userEvent.setup();
    const { auth, calls } = recordingAuth();
    let signedIn: SignedInUser | null = null;
    render(<LoginPage auth={auth} server={{ url: null, recent: ['https://ontocat.example.org'] }} onSignedIn={(u) => { signedIn = u; }} />);
    expect(screen.getByRole('heading', { name: 'Open a remote catalog' })).toBeTruthy();
    const address = screen.getByLabelText('Server address') as HTMLInputElement;
    expect(document.activeElement).toBe(address);
    expect(address.value).toBe('https://ontocat.example.org');
    await keyboard.clear(address);
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(true);
    await keyboard.type(address, 'https://team.example.org');
    await keyboard.type(screen.getByLabelText('User name'), 'Ann');
    await keyboard.type(screen.getByLabelText('Password'), 'secret{Enter}');
    await waitFor(() => expect(signedIn).toEqual(user));
    expect(calls).toEqual([['ann', 'secret', 'https://team.example.org']]);
  });

  it('with a known server it asks only for the account, names the server, and shows the refusal in words', async () => {
    const keyboard = userEvent.setup();
    const { auth, calls } = recordingAuth('Wrong user name or password.');
    render(<LoginPage auth={auth} server={{ url: 'https://team.example.org', recent: [] }} onSignedIn={() => undefined} />);
    expect(screen.queryByLabelText('Server address')).toBeNull();
    expect(screen.getByText('Server: https://team.example.org')).toBeTruthy();
    await keyboard.type(screen.getByLabelText('User name'), 'ann');
    await keyboard.type(screen.getByLabelText('Password'), 'nope{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong user name or password.');
    expect(calls).toEqual([['ann', 'nope', undefined]]);
  });
});
