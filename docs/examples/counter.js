// Counts clicks, tells the page, and fetches a quote through the http extension (the run suspends there).
$state.count = ($state.count ?? 0) + 1;
$emit('counted', { count: $state.count });
$log.info('count is now', $state.count);
return { count: $state.count };
