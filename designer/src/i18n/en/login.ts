// English strings of one part of the web app (see ../en.ts, which gathers the parts).
export const login = {
  product: 'Tandem',
  title: 'Sign in',
  intro: 'Design and test the IVR flows of your contact center.',
  username: 'Username',
  password: 'Password',
  signingIn: 'Signing in…',
  signIn: 'Sign in',
  changeTitle: 'Choose a new password',
  changeIntro: 'Your administrator asks you to change your password before continuing.',
  currentPassword: 'Current password',
  newPassword: 'New password',
  signOut: 'Sign out',
  changePassword: 'Change password',
} as const;
