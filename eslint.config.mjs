// Lint is part of the build: strict, type-aware typescript-eslint.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // What deploys is the app alone: it never reaches into the local stand-ins or the CLI.
    files: ['src/**/*.ts'],
    ignores: ['src/local/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(local|cli)(/|$)', message: 'The app may not import src/local or src/cli: they are not deployed.' }] }],
    },
  },
  // The local host runs any Functions app, so it must not depend on this one:
  // its imports stay inside src/local.
  hostMayNotImportTheApp('src/local/host/*.ts', '../../'),
  hostMayNotImportTheApp('src/local/host/*/**/*.ts', '../../../'),
);

function hostMayNotImportTheApp(files, outsideLocal) {
  const regex = `^${outsideLocal.replaceAll('.', '\\.')}`;
  return {
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex, message: 'The local host may not import the app: it hosts any Functions app.' }] }] },
  };
}
