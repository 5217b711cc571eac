/** The account every local emulator puts in its ARNs and URLs unless told otherwise (LocalStack's too). */
export const DEFAULT_ACCOUNT_ID = '000000000000';
